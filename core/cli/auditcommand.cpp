#include "cli/auditcommand.h"

#include "calls/auditverify.h"

namespace portcullis::cli {

int runAuditVerify(const QStringList& args, std::ostream& out, std::ostream& err) {
    if (args.size() != 1) {
        err << "usage: portcullis-gateway audit verify AUDIT.jsonl\n";
        return 2;
    }
    const std::string name = args.first().toStdString();
    const AuditVerifyResult result = verifyAuditLog(args.first());
    if (result.ok) {
        // Always "records": scripts match one fixed shape.
        out << "ok " << result.records << " records\n";
        return 0;
    }
    out << name;
    if (result.firstBadLine > 0)
        out << ':' << result.firstBadLine;
    out << ": " << result.message << '\n';
    return 1;
}

} // namespace portcullis::cli
