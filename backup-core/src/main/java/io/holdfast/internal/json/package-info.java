/**
 * JSON conventions of restic's repository format that several parts share, such as the timestamp
 * style of {@link io.holdfast.internal.json.GoTime}.
 */
package io.holdfast.internal.json;
