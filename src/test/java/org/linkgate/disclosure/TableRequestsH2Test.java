package org.linkgate.disclosure;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link TableRequestsContract} on H2. */
class TableRequestsH2Test extends TableRequestsContract {

    @Override
    DataSource database() {
        return TestDatabases.h2();
    }
}
