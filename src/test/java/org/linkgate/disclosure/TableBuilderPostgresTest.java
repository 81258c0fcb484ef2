package org.linkgate.disclosure;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link TableBuilderContract} on Postgres. */
class TableBuilderPostgresTest extends TableBuilderContract {

    @Override
    DataSource database() {
        return TestDatabases.postgres();
    }
}
