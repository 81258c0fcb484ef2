package org.linkgate.disclosure;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link FeedbackPacksContract} on Postgres. */
class FeedbackPacksPostgresTest extends FeedbackPacksContract {

    @Override
    DataSource database() {
        return TestDatabases.postgres();
    }
}
