/**
 * The inbound-file lifecycle, one mechanism for council batches ({@code intake}) and department
 * returns ({@code returns}): every file a partner sends is taken into gateway-only custody, claimed
 * in its ledger exactly once, admitted (name, agreement), verified (decrypted and its signature and
 * integrity checked before anything reads its content), processed by its side's stages, committed
 * in one transaction, reported to its sender and kept sealed — or quarantined with an alert. Each
 * side supplies only what differs ({@link org.linkgate.inbound.InboundSide}): its name rule, its
 * ledger tables, its report, its stages and what it stores.
 */
package org.linkgate.inbound;
