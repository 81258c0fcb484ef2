package org.linkgate.audit;

import javax.sql.DataSource;

/** {@link AuditChainContract} on H2, the zero-set-up database. */
class AuditChainH2Test extends AuditChainContract {

    @Override
    DataSource database() {
        return AuditTestSupport.h2();
    }

    @Override
    DataSource database(String target) {
        return AuditTestSupport.h2(target);
    }

    @Override
    void migrateToLatest(DataSource old) {
        AuditTestSupport.migrate(old, null, null);
    }
}
