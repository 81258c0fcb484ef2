package org.linkgate.disclosure;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link TableBuilderContract} on H2. */
class TableBuilderH2Test extends TableBuilderContract {

    @Override
    DataSource database() {
        return TestDatabases.h2();
    }
}
