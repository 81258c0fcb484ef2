package org.linkgate.disclosure;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link TableRequestsContract} on Postgres. */
class TableRequestsPostgresTest extends TableRequestsContract {

    @Override
    DataSource database() {
        return TestDatabases.postgres();
    }
}
