/** Holdfast for data on EBS volumes: a multi-volume snapshot provider and volume restore. */
package io.holdfast.ebs;
