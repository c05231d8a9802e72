/**
 * What a host application implements to be backed up: {@link io.holdfast.spi.Dataset}s of its
 * data, a {@link io.holdfast.spi.SnapshotProvider} per dataset that freezes it into a
 * {@link io.holdfast.spi.Snapshot}, and a {@link io.holdfast.spi.ConsistencyGate} that holds the
 * application still while every dataset of a plan is frozen.
 */
package io.holdfast.spi;
