package org.linkgate.linkage;

import org.linkgate.store.TestDatabases;

/** {@link DecisionUndoTest} on PostgreSQL 15: the same SQL in production's dialect. */
class DecisionUndoPostgresTest extends DecisionUndoTest {

    @Override
    LinkageStoreFixture fixture() {
        return new LinkageStoreFixture(TestDatabases.postgres());
    }
}
