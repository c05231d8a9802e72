/**
 * Checking a repository: {@link io.holdfast.internal.checker.StructureChecker} finds what is
 * missing or inconsistent without reading file contents; re-reading data and host validators
 * (DESIGN.md section 6, "verify") build on it.
 */
package io.holdfast.internal.checker;
