/**
 * Department extracts (fan-out): {@link org.linkgate.fanout.ExtractWriter} streams the accepted
 * people of one intake that a department needs, under that department's own token
 * ({@link org.linkgate.fanout.DepartmentTokens}), with only its match fields, into a CSV that is
 * encrypted to the department and signed by the gateway as it is written, and records who was sent
 * in {@code extract_member} so returns can be mapped back to pseudo ids.
 *
 * <p>Privacy: the linkage-store pseudo_id never leaves the gateway; clear CSV exists only in a
 * small in-memory buffer on its way into the encryptor; values a spreadsheet could run as a
 * formula are neutralised ({@link org.linkgate.kernel.SpreadsheetFormulaGuard}). Logs and exception
 * messages carry extract ids, intake ids, department codes, row numbers and counts only.
 */
package org.linkgate.fanout;
