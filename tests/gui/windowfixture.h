#pragma once

#include "ui/mainwindow.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <memory>

// A window on a workspace of its own (servers.json with the given servers, policy.json with the
// given text), shown offscreen, with its upstreams up.
std::unique_ptr<portcullis::ui::MainWindow> openWindow(const QString& dir,
                                                       const nlohmann::json& servers,
                                                       const QByteArray& policy, int expectedTools);

// servers.json running portcullis-demo-server (14 ECS and IAM tools).
nlohmann::json demoServers();

// policies/examples/strict-starter.json, the demo workspace's policy.
QByteArray strictStarterPolicy();

// The document's policy as the JSON Save writes.
nlohmann::json policyJson(const portcullis::ui::MainWindow& window);
