package io.holdfast.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small fake of the EC2 Query API on loopback, for driving the real AWS SDK {@code Ec2Client}
 * in tests (endpoint override, any static credentials; signatures are not checked). It speaks
 * form-encoded {@code Action=...} requests and answers XML in the
 * {@code http://ec2.amazonaws.com/doc/2016-11-15/} namespace, errors as EC2 does
 * ({@code <Response><Errors><Error><Code>}).
 *
 * <p>A programmable state machine: {@link #volume volumes}, {@link #instance instances} with
 * block device mappings, snapshots that go from {@code pending} to {@code completed} over
 * {@link #pollsToComplete} describe calls (or to {@code error}), volumes created from snapshots
 * that become {@code available}, and injected faults per action or per volume. Every request's
 * action is recorded in {@link #events()} in order, together with {@link #mark} lines a test
 * writes (a gate's acquire and release), so a test can assert what happened inside a hold.
 *
 * <p>Thread-safe (one lock). {@link #close()} stops the server.
 */
public final class FakeEc2 implements AutoCloseable {
  public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

  /** A volume: where it is attached, if anywhere. */
  public static final class Volume {
    public final String id;
    public final int sizeGib;
    public final String az;
    public String type = "gp3";
    public Integer iops;
    public Integer throughput;
    public String state = "available";
    public String instance;
    public String device;
    public String attachState;
    public String fromSnapshot;
    public final Map<String, String> tags = new TreeMap<>();
    int pollsLeft;

    Volume(String id, int sizeGib, String az) {
      this.id = id;
      this.sizeGib = sizeGib;
      this.az = az;
    }
  }

  /** An EBS snapshot as the fake keeps it. */
  public static final class Snap {
    public final String id;
    public final String volumeId;
    public final int sizeGib;
    public final String description;
    public final Map<String, String> tags = new TreeMap<>();
    public String state = "pending";
    public int progress;
    public boolean deleted;
    int pollsLeft;
    boolean failing;

    Snap(String id, String volumeId, int sizeGib, String description) {
      this.id = id;
      this.volumeId = volumeId;
      this.sizeGib = sizeGib;
      this.description = description;
    }
  }

  /** A fault to answer instead of doing an action (or after doing it, when {@code after}). */
  private record Fault(int status, String code, String volume, boolean after) {}

  private final HttpServer server;
  private final Map<String, Volume> volumes = new LinkedHashMap<>();
  private final Map<String, String> instanceAz = new LinkedHashMap<>();
  private final Map<String, String> rootDevice = new HashMap<>();
  private final Map<String, Snap> snapshots = new LinkedHashMap<>();
  private final Map<String, Deque<Fault>> faults = new HashMap<>();
  private final List<String> errorVolumes = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final List<Map<String, String>> requests = new ArrayList<>();
  private int pollsToComplete = 2;
  private int volumePolls = 1;
  private int sequence;

  private FakeEc2() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a fake on a free loopback port. */
  public static FakeEc2 start() {
    try {
      return new FakeEc2();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake EC2 endpoint", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
  }

  // ------------------------------------------------------------------ programming

  /** Adds a detached, available volume. */
  public synchronized Volume volume(String id, int sizeGib, String az) {
    Volume v = new Volume(id, sizeGib, az);
    volumes.put(id, v);
    return v;
  }

  /** Adds a running instance whose root device is {@code root}. */
  public synchronized void instance(String id, String az, String root) {
    instanceAz.put(id, az);
    rootDevice.put(id, root);
  }

  /** Attaches a volume to an instance at {@code device}. */
  public synchronized void attach(String volume, String instance, String device) {
    Volume v = volumes.get(volume);
    v.instance = instance;
    v.device = device;
    v.state = "in-use";
    v.attachState = "attached";
  }

  /** Detaches a volume, as when an operator detaches it while a backup runs. */
  public synchronized void detach(String volume) {
    Volume v = volumes.get(volume);
    v.instance = null;
    v.device = null;
    v.state = "available";
    v.attachState = null;
  }

  /** After how many describe calls a new snapshot is completed (at least 1; progress rises until then). */
  public synchronized void pollsToComplete(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a snapshot completes on the first describe at the earliest");
    }
    pollsToComplete = n;
  }

  /** How many describe calls a created volume stays {@code creating} (or {@code attaching}). */
  public synchronized void volumePolls(int n) {
    volumePolls = n;
  }

  /** Snapshots of {@code volume} end in state {@code error} instead of completed. */
  public synchronized void snapshotsFail(String volume) {
    errorVolumes.add(volume);
  }

  /** The next {@code times} calls of {@code action} answer HTTP {@code status} with error {@code code}. */
  public synchronized void fail(String action, int status, String code, int times) {
    for (int i = 0; i < times; i++) {
      faults.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new Fault(status, code, null, false));
    }
  }

  /**
   * The next call of {@code action} is done, but answered with HTTP {@code status} and error
   * {@code code}, as when a response is lost: a client that retries does it twice.
   */
  public synchronized void failAfterDoing(String action, int status, String code) {
    faults.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new Fault(status, code, null, true));
  }

  /** {@code CreateSnapshot} of {@code volume} answers error {@code code} (once). */
  public synchronized void failSnapshotOf(String volume, String code) {
    faults.computeIfAbsent("CreateSnapshot", a -> new ArrayDeque<>()).add(new Fault(400, code, volume, false));
  }

  /** Writes a line into {@link #events()}, as {@code "mark:" + what}. */
  public synchronized void mark(String what) {
    events.add("mark:" + what);
  }

  // ------------------------------------------------------------------ inspection

  /** Every action received (including failed ones) and every mark, in order. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** The parameters of every request whose action is {@code action}, in order. */
  public synchronized List<Map<String, String>> requests(String action) {
    return requests.stream().filter(r -> action.equals(r.get("Action"))).map(Map::copyOf).toList();
  }

  public synchronized Map<String, Snap> snapshots() {
    return Map.copyOf(snapshots);
  }

  /** The snapshots not deleted. */
  public synchronized List<Snap> liveSnapshots() {
    return snapshots.values().stream().filter(s -> !s.deleted).toList();
  }

  public synchronized Map<String, Volume> volumes() {
    return Map.copyOf(volumes);
  }

  /** Adds a completed snapshot (for restore and release tests). */
  public synchronized Snap completedSnapshot(String id, String volume, int sizeGib) {
    Snap s = new Snap(id, volume, sizeGib, "");
    s.state = "completed";
    s.progress = 100;
    snapshots.put(id, s);
    return s;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ------------------------------------------------------------------ protocol

  private void handle(HttpExchange x) throws IOException {
    byte[] body;
    try (InputStream in = x.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, String> p = form(new String(body, StandardCharsets.UTF_8));
    if (x.getRequestURI().getRawQuery() != null) {
      p.putAll(form(x.getRequestURI().getRawQuery()));
    }
    int status = 200;
    String xml;
    synchronized (this) {
      String action = p.getOrDefault("Action", "");
      events.add(action);
      requests.add(p);
      Fault f = fault(action, p);
      if (f != null && f.after()) {
        try {
          answer(action, p);
        } catch (Failure ignored) {
          // the fault's answer stands either way
        }
      }
      if (f != null) {
        status = f.status();
        xml = error(f.code(), "injected fault for " + action);
      } else {
        try {
          xml = answer(action, p);
        } catch (Failure e) {
          status = 400;
          xml = error(e.code, e.getMessage());
        } catch (RuntimeException e) {
          // a bug of the fake (a malformed request it cannot read): answered, not a dropped connection
          status = 500;
          xml = error("InternalError", "the fake EC2 could not answer " + action + ": " + e);
        }
      }
    }
    byte[] out = xml.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
    x.sendResponseHeaders(status, out.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(out);
    }
  }

  private Fault fault(String action, Map<String, String> p) {
    Deque<Fault> q = faults.get(action);
    if (q == null || q.isEmpty()) {
      return null;
    }
    Fault f = q.peek();
    if (f.volume() != null && !f.volume().equals(p.get("VolumeId"))) {
      return null;
    }
    return q.poll();
  }

  private static Map<String, String> form(String s) {
    Map<String, String> out = new TreeMap<>();
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static final class Failure extends RuntimeException {
    final String code;

    Failure(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  private String answer(String action, Map<String, String> p) {
    return switch (action) {
      case "DescribeVolumes" -> describeVolumes(p);
      case "DescribeInstances" -> describeInstances(p);
      case "CreateSnapshot" -> createSnapshot(p);
      case "CreateSnapshots" -> createSnapshots(p);
      case "DescribeSnapshots" -> describeSnapshots(p);
      case "DeleteSnapshot" -> deleteSnapshot(p);
      case "CreateTags" -> createTags(p);
      case "CreateVolume" -> createVolume(p);
      case "AttachVolume" -> attachVolume(p);
      default -> throw new Failure("InvalidAction", "The action " + action + " is not valid for this web service.");
    };
  }

  private static List<String> list(Map<String, String> p, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 1; p.containsKey(prefix + "." + i); i++) {
      out.add(p.get(prefix + "." + i));
    }
    return out;
  }

  /** Tags of {@code TagSpecification.N} for resource type {@code type}. */
  private static Map<String, String> tagSpec(Map<String, String> p, String type) {
    Map<String, String> out = new TreeMap<>();
    for (int i = 1; p.containsKey("TagSpecification." + i + ".ResourceType"); i++) {
      if (p.get("TagSpecification." + i + ".ResourceType").equals(type)) {
        out.putAll(tags(p, "TagSpecification." + i + ".Tag"));
      }
    }
    return out;
  }

  private static Map<String, String> tags(Map<String, String> p, String prefix) {
    Map<String, String> out = new TreeMap<>();
    for (int j = 1; p.containsKey(prefix + "." + j + ".Key"); j++) {
      out.put(p.get(prefix + "." + j + ".Key"), p.getOrDefault(prefix + "." + j + ".Value", ""));
    }
    return out;
  }

  private Volume volumeOrFail(String id) {
    Volume v = volumes.get(id);
    if (v == null) {
      throw new Failure("InvalidVolume.NotFound", "The volume '" + id + "' does not exist.");
    }
    return v;
  }

  private String describeVolumes(Map<String, String> p) {
    List<String> ids = list(p, "VolumeId");
    StringBuilder b = new StringBuilder("<volumeSet>");
    for (String id : ids.isEmpty() ? List.copyOf(volumes.keySet()) : ids) {
      Volume v = volumeOrFail(id);
      if (v.pollsLeft > 0 && --v.pollsLeft == 0) {
        if ("creating".equals(v.state)) {
          v.state = "available";
        } else if ("attaching".equals(v.attachState)) {
          v.attachState = "attached";
          v.state = "in-use";
        }
      }
      b.append("<item>").append(el("volumeId", v.id)).append(el("size", v.sizeGib))
          .append(el("snapshotId", v.fromSnapshot == null ? "" : v.fromSnapshot))
          .append(el("availabilityZone", v.az)).append(el("status", v.state))
          .append(el("createTime", "2026-01-01T00:00:00.000Z")).append("<attachmentSet>");
      if (v.instance != null) {
        b.append("<item>").append(el("volumeId", v.id)).append(el("instanceId", v.instance))
            .append(el("device", v.device)).append(el("status", v.attachState))
            .append(el("attachTime", "2026-01-01T00:00:00.000Z")).append(el("deleteOnTermination", false))
            .append("</item>");
      }
      b.append("</attachmentSet>").append(el("volumeType", v.type));
      if (v.iops != null) {
        b.append(el("iops", v.iops));
      }
      if (v.throughput != null) {
        b.append(el("throughput", v.throughput));
      }
      b.append(el("encrypted", false)).append(tagSet(v.tags)).append("</item>");
    }
    return response("DescribeVolumes", b.append("</volumeSet>").toString());
  }

  private String describeInstances(Map<String, String> p) {
    StringBuilder b = new StringBuilder("<reservationSet>");
    for (String id : list(p, "InstanceId")) {
      if (!instanceAz.containsKey(id)) {
        throw new Failure("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
      }
      b.append("<item>").append(el("reservationId", "r-" + id.substring(2))).append(el("ownerId", "123456789012"))
          .append("<instancesSet><item>").append(el("instanceId", id))
          .append("<placement>").append(el("availabilityZone", instanceAz.get(id))).append("</placement>")
          .append(el("rootDeviceType", "ebs")).append(el("rootDeviceName", rootDevice.get(id)))
          .append("<blockDeviceMapping>");
      for (Volume v : volumes.values()) {
        if (id.equals(v.instance)) {
          b.append("<item>").append(el("deviceName", v.device)).append("<ebs>").append(el("volumeId", v.id))
              .append(el("status", v.attachState)).append(el("attachTime", "2026-01-01T00:00:00.000Z"))
              .append(el("deleteOnTermination", false)).append("</ebs></item>");
        }
      }
      b.append("</blockDeviceMapping></item></instancesSet></item>");
    }
    return response("DescribeInstances", b.append("</reservationSet>").toString());
  }

  private Snap newSnapshot(Volume v, String description, Map<String, String> tags) {
    Snap s = new Snap(String.format("snap-%017x", ++sequence), v.id, v.sizeGib, description);
    s.tags.putAll(tags);
    s.pollsLeft = pollsToComplete;
    s.failing = errorVolumes.contains(v.id);
    snapshots.put(s.id, s);
    return s;
  }

  private String createSnapshot(Map<String, String> p) {
    Volume v = volumeOrFail(p.get("VolumeId"));
    Snap s = newSnapshot(v, p.getOrDefault("Description", ""), tagSpec(p, "snapshot"));
    return response("CreateSnapshot", el("snapshotId", s.id) + el("volumeId", v.id) + el("status", s.state)
        + el("startTime", "2026-01-01T00:00:00.000Z") + el("progress", "") + el("ownerId", "123456789012")
        + el("volumeSize", v.sizeGib) + el("description", s.description) + el("encrypted", false) + tagSet(s.tags));
  }

  private String createSnapshots(Map<String, String> p) {
    String instance = p.get("InstanceSpecification.InstanceId");
    if (!instanceAz.containsKey(instance)) {
      throw new Failure("InvalidInstanceID.NotFound", "The instance ID '" + instance + "' does not exist");
    }
    boolean excludeBoot = "true".equals(p.get("InstanceSpecification.ExcludeBootVolume"));
    List<String> excluded = list(p, "InstanceSpecification.ExcludeDataVolumeId");
    StringBuilder b = new StringBuilder("<snapshotSet>");
    for (Volume v : List.copyOf(volumes.values())) {
      if (!instance.equals(v.instance) || excluded.contains(v.id)
          || (excludeBoot && v.device.equals(rootDevice.get(instance)))) {
        continue;
      }
      Snap s = newSnapshot(v, p.getOrDefault("Description", ""), tagSpec(p, "snapshot"));
      b.append("<item>").append(el("description", s.description)).append(tagSet(s.tags))
          .append(el("encrypted", false)).append(el("volumeId", v.id)).append(el("state", s.state))
          .append(el("volumeSize", v.sizeGib)).append(el("startTime", "2026-01-01T00:00:00.000Z"))
          .append(el("progress", "")).append(el("ownerId", "123456789012")).append(el("snapshotId", s.id))
          .append("</item>");
    }
    return response("CreateSnapshots", b.append("</snapshotSet>").toString());
  }

  private String describeSnapshots(Map<String, String> p) {
    StringBuilder b = new StringBuilder("<snapshotSet>");
    List<String> ids = list(p, "SnapshotId");
    boolean advance = !ids.isEmpty(); // a search by filter moves no snapshot on
    if (ids.isEmpty()) {
      ids = snapshots.values().stream().filter(s -> !s.deleted && matches(s, p)).map(s -> s.id).toList();
    }
    for (String id : ids) {
      Snap s = snapshots.get(id);
      if (s == null || s.deleted) {
        throw new Failure("InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not exist.");
      }
      if (advance && "pending".equals(s.state)) {
        // a snapshot set pending by a test (pollsLeft 0) stays pending
        if (s.pollsLeft > 0) {
          s.pollsLeft--;
          s.progress = s.failing ? 10 : 100 - 100 * s.pollsLeft / Math.max(1, pollsToComplete + 1);
          if (s.pollsLeft == 0) {
            s.state = s.failing ? "error" : "completed";
            s.progress = s.failing ? s.progress : 100;
          }
        }
      }
      b.append("<item>").append(el("snapshotId", s.id)).append(el("volumeId", s.volumeId))
          .append(el("status", s.state)).append(s.failing ? el("statusMessage", "internal error") : "")
          .append(el("startTime", "2026-01-01T00:00:00.000Z")).append(el("progress", s.progress + "%"))
          .append(el("ownerId", "123456789012")).append(el("volumeSize", s.sizeGib))
          .append(el("description", s.description)).append(el("encrypted", false)).append(tagSet(s.tags))
          .append("</item>");
    }
    return response("DescribeSnapshots", b.append("</snapshotSet>").toString());
  }

  /** Whether {@code s} passes every {@code Filter.N} of {@code tag:KEY} form (other filters are ignored). */
  private static boolean matches(Snap s, Map<String, String> p) {
    for (int i = 1; p.containsKey("Filter." + i + ".Name"); i++) {
      String name = p.get("Filter." + i + ".Name");
      if (name.startsWith("tag:") && !list(p, "Filter." + i + ".Value").contains(s.tags.get(name.substring(4)))) {
        return false;
      }
    }
    return true;
  }

  private String deleteSnapshot(Map<String, String> p) {
    Snap s = snapshots.get(p.get("SnapshotId"));
    if (s == null || s.deleted) {
      throw new Failure("InvalidSnapshot.NotFound", "The snapshot '" + p.get("SnapshotId") + "' does not exist.");
    }
    s.deleted = true;
    return response("DeleteSnapshot", el("return", true));
  }

  private String createTags(Map<String, String> p) {
    Map<String, String> t = tags(p, "Tag");
    for (String id : list(p, "ResourceId")) {
      if (snapshots.containsKey(id)) {
        snapshots.get(id).tags.putAll(t);
      } else if (volumes.containsKey(id)) {
        volumes.get(id).tags.putAll(t);
      } else {
        throw new Failure("InvalidID", "The ID '" + id + "' is not valid");
      }
    }
    return response("CreateTags", el("return", true));
  }

  private String createVolume(Map<String, String> p) {
    Snap s = snapshots.get(p.get("SnapshotId"));
    if (s == null || s.deleted) {
      throw new Failure("InvalidSnapshot.NotFound", "The snapshot '" + p.get("SnapshotId") + "' does not exist.");
    }
    int size = p.containsKey("Size") ? Integer.parseInt(p.get("Size")) : s.sizeGib;
    Volume v = new Volume(String.format("vol-%017x", ++sequence), size, p.get("AvailabilityZone"));
    v.type = p.getOrDefault("VolumeType", "gp2");
    v.iops = p.containsKey("Iops") ? Integer.valueOf(p.get("Iops")) : null;
    v.throughput = p.containsKey("Throughput") ? Integer.valueOf(p.get("Throughput")) : null;
    v.state = "creating";
    v.fromSnapshot = s.id;
    v.pollsLeft = volumePolls;
    v.tags.putAll(tagSpec(p, "volume"));
    volumes.put(v.id, v);
    return response("CreateVolume", el("volumeId", v.id) + el("size", v.sizeGib) + el("snapshotId", s.id)
        + el("availabilityZone", v.az) + el("status", v.state) + el("createTime", "2026-01-01T00:00:00.000Z")
        + el("volumeType", v.type) + (v.iops == null ? "" : el("iops", v.iops)) + el("encrypted", false)
        + tagSet(v.tags));
  }

  private String attachVolume(Map<String, String> p) {
    Volume v = volumeOrFail(p.get("VolumeId"));
    String instance = p.get("InstanceId");
    if (!instanceAz.containsKey(instance)) {
      throw new Failure("InvalidInstanceID.NotFound", "The instance ID '" + instance + "' does not exist");
    }
    if (!"available".equals(v.state)) {
      throw new Failure("IncorrectState", "vol '" + v.id + "' is not 'available'.");
    }
    if (!instanceAz.get(instance).equals(v.az)) {
      throw new Failure("InvalidVolume.ZoneMismatch", "The volume '" + v.id + "' is not in the same availability"
          + " zone as instance '" + instance + "'");
    }
    v.instance = instance;
    v.device = p.get("Device");
    v.attachState = "attaching";
    v.pollsLeft = volumePolls;
    return response("AttachVolume", el("volumeId", v.id) + el("instanceId", instance) + el("device", v.device)
        + el("status", "attaching") + el("attachTime", "2026-01-01T00:00:00.000Z"));
  }

  private static String tagSet(Map<String, String> tags) {
    StringBuilder b = new StringBuilder("<tagSet>");
    tags.forEach((k, v) -> b.append("<item>").append(el("key", k)).append(el("value", v)).append("</item>"));
    return b.append("</tagSet>").toString();
  }

  private static String el(String name, Object value) {
    return "<" + name + ">" + escape(String.valueOf(value)) + "</" + name + ">";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String response(String action, String inner) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + NAMESPACE + "\">"
        + "<requestId>00000000-0000-0000-0000-000000000000</requestId>" + inner + "</" + action + "Response>";
  }

  private static String error(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>" + el("Code", code)
        + el("Message", message) + "</Error></Errors>" + el("RequestID", "00000000-0000-0000-0000-000000000000")
        + "</Response>";
  }
}
