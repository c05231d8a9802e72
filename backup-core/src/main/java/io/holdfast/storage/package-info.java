/**
 * The storage SPI: a {@link io.holdfast.storage.BlobStore} is a flat, write-once store of named
 * byte objects. The repository format above it chooses every key; stores only keep bytes.
 */
package io.holdfast.storage;
