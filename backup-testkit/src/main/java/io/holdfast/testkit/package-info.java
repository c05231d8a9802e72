/**
 * Test kit: contract suites every implementation runs (start with {@link
 * io.holdfast.testkit.BlobStoreContract}) and fakes such as {@link
 * io.holdfast.testkit.FaultyBlobStore}. Test code, published so that other modules and hosts can
 * extend it; nothing here belongs in production.
 */
package io.holdfast.testkit;
