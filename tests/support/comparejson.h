#pragma once

#include <QTest>

#include <nlohmann/json.hpp>

// QCOMPARE cannot take nlohmann::json: its catch-all conversion operator drags Qt's qfloat16
// overload into overload resolution, which does not compile. This compares and prints both.
#define COMPARE_JSON(actual, expected)                                                             \
    do {                                                                                           \
        const nlohmann::json actualValue_ = (actual);                                              \
        const nlohmann::json expectedValue_ = (expected);                                          \
        QVERIFY2(actualValue_ == expectedValue_,                                                   \
                 ("\n   Actual   (" #actual "): " + actualValue_.dump() +                          \
                  "\n   Expected (" #expected "): " + expectedValue_.dump())                       \
                     .c_str());                                                                    \
    } while (false)
