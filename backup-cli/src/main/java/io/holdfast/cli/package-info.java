/**
 * The {@code holdfast} command line ({@link io.holdfast.cli.Main}): {@code init}, {@code backup},
 * {@code snapshots}, {@code ls}, {@code restore} and {@code check} on a repository in a local
 * directory, with restic's conventions (options, environment variables, exit codes) so that an
 * operator who knows restic knows it. Built as one executable jar, {@code holdfast.jar}.
 */
package io.holdfast.cli;
