/**
 * The project's output (issue 13, cl. 2.1, 4.8): record-level pseudonymised linked data released
 * to the sponsor (DCLG), under a release-specific pseudo id, at the granularity its release
 * specification allows, checked for k-anonymity, approved by a second person, and delivered
 * exactly once encrypted to it and signed by the gateway; and subject access (cl. 9) over the
 * ledgers. Configuration: {@code config/recipients/<CODE>/}. See docs/release.md.
 */
package org.linkgate.release;
