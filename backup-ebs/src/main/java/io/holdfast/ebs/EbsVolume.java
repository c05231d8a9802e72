package io.holdfast.ebs;

/**
 * A volume of a dataset as EC2 described it when its snapshot was taken.
 *
 * @param instance the instance it was attached to, or null
 * @param device its device name on that instance, or null
 * @param iops provisioned IOPS, or null
 * @param throughput provisioned throughput in MiB/s, or null
 */
record EbsVolume(String volumeId, String instance, String device, int sizeGib, String availabilityZone,
    String volumeType, Integer iops, Integer throughput) {

  /** "vol-1 (/dev/sdf on i-1)" for messages. */
  String label() {
    return device == null ? volumeId : volumeId + " (" + device + " on " + instance + ")";
  }
}
