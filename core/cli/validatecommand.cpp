#include "cli/validatecommand.h"

#include "policy/policyio.h"

namespace portcullis::cli {

int runValidate(const QStringList& files, std::ostream& out, std::ostream& err) {
    if (files.isEmpty()) {
        err << "usage: portcullis-gateway validate POLICY.json [MORE.json...]\n";
        return 2;
    }
    bool allValid = true;
    for (const QString& file : files) {
        const PolicyLoadResult result = PolicyIo::loadFile(file);
        const std::string name = file.toStdString();
        for (const PolicyProblem& p : result.problems)
            (p.isError() ? out : err) << p.format(name) << '\n';
        if (!result.ok()) {
            allValid = false;
            err << name << ": " << result.errorCount()
                << (result.errorCount() == 1 ? " problem\n" : " problems\n");
        } else {
            err << name << ": ok\n";
        }
    }
    return allValid ? 0 : 1;
}

} // namespace portcullis::cli
