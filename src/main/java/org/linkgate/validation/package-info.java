/**
 * Council batch validation: declarative dataset schemas ({@code schemas/*.yaml} loaded by
 * {@link org.linkgate.validation.DatasetSchemaLoader}), a streaming, memory-bounded CSV
 * reader ({@link org.linkgate.validation.CsvBatchReader}), a per-row validator
 * ({@link org.linkgate.validation.RowValidator}) and pure identifier checks
 * ({@link org.linkgate.validation.UkPostcode}, {@link org.linkgate.validation.NationalInsuranceNumber},
 * {@link org.linkgate.validation.NhsNumber}, {@link org.linkgate.validation.UniquePupilNumber}).
 *
 * <p>Privacy: nothing in this package puts a cell value in an exception message, a
 * problem record or a {@code toString()}; only row numbers, schema column names and rule
 * names. Unknown header cells are reported by position, as they may be data.
 *
 * <p>Values are stripped of surrounding whitespace before validation and an empty value is
 * absent. Uniqueness ({@code unique}) is left to the caller, see
 * {@link org.linkgate.validation.DatasetSchema#uniqueColumns()}.
 */
package org.linkgate.validation;
