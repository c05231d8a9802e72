package io.holdfast.ebs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flat key scheme under which an EBS dataset's snapshots are recorded in a Holdfast snapshot's
 * manifest ({@code external_references}), one group of keys per volume:
 * <pre>
 * ebs.consistency              crash-consistent-multi-volume | gate-per-volume | single-volume
 * ebs.VOLUME-ID.snapshot       snap-...   (the EBS snapshot; retention deletes it, see EbsSnapshotReleaser)
 * ebs.VOLUME-ID.device         /dev/sdf   (absent for a detached volume)
 * ebs.VOLUME-ID.instance       i-...      (absent for a detached volume)
 * ebs.VOLUME-ID.az             eu-west-1a
 * ebs.VOLUME-ID.size_gib       100
 * ebs.VOLUME-ID.volume_type    gp3
 * ebs.VOLUME-ID.iops           3000       (when provisioned)
 * ebs.VOLUME-ID.throughput     125        (when provisioned, MiB/s)
 * </pre>
 */
final class EbsReferences {
  static final String CONSISTENCY = "ebs.consistency";
  static final String MULTI_VOLUME = "crash-consistent-multi-volume";
  static final String PER_VOLUME = "gate-per-volume";
  static final String SINGLE_VOLUME = "single-volume";
  static final Pattern SNAPSHOT_KEY = Pattern.compile("ebs\\.(vol-[A-Za-z0-9]+)\\.snapshot");

  /** One recorded volume and its snapshot. */
  record Entry(EbsVolume volume, String snapshotId) {}

  private EbsReferences() {}

  static Map<String, String> write(String consistency, List<Entry> entries) {
    Map<String, String> out = new TreeMap<>();
    out.put(CONSISTENCY, consistency);
    for (Entry e : entries) {
      EbsVolume v = e.volume();
      String p = "ebs." + v.volumeId() + ".";
      out.put(p + "snapshot", e.snapshotId());
      putIf(out, p + "device", v.device());
      putIf(out, p + "instance", v.instance());
      putIf(out, p + "az", v.availabilityZone());
      out.put(p + "size_gib", Integer.toString(v.sizeGib()));
      putIf(out, p + "volume_type", v.volumeType());
      putIf(out, p + "iops", v.iops());
      putIf(out, p + "throughput", v.throughput());
    }
    return out;
  }

  private static void putIf(Map<String, String> m, String k, Object v) {
    if (v != null) {
      m.put(k, v.toString());
    }
  }

  /** The entries recorded in {@code refs}, in volume id order; other keys are ignored. */
  static List<Entry> read(Map<String, String> refs) {
    Map<String, Entry> out = new TreeMap<>();
    for (Map.Entry<String, String> r : refs.entrySet()) {
      Matcher m = SNAPSHOT_KEY.matcher(r.getKey());
      if (!m.matches()) {
        continue;
      }
      String vol = m.group(1);
      String p = "ebs." + vol + ".";
      EbsVolume v = new EbsVolume(vol, refs.get(p + "instance"), refs.get(p + "device"),
          number(refs, p + "size_gib", 0), refs.get(p + "az"), refs.get(p + "volume_type"),
          refs.containsKey(p + "iops") ? number(refs, p + "iops", 0) : null,
          refs.containsKey(p + "throughput") ? number(refs, p + "throughput", 0) : null);
      out.put(vol, new Entry(v, r.getValue()));
    }
    return new ArrayList<>(out.values());
  }

  private static int number(Map<String, String> refs, String key, int absent) {
    String s = refs.get(key);
    try {
      return s == null ? absent : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("external reference " + key + " is not a number: " + s, e);
    }
  }

  /** Keeps only the {@code ebs.*} entries, for callers handing over a whole dataset's references. */
  static Map<String, String> only(Map<String, String> refs) {
    Map<String, String> out = new LinkedHashMap<>();
    refs.forEach((k, v) -> {
      if (k.startsWith("ebs.")) {
        out.put(k, v);
      }
    });
    return out;
  }
}
