package dev.partview.fuse;

import dev.partview.table.Partition;
import dev.partview.table.PartitionTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree a mount shows, built once from the images and the {@code --view}s:
 *
 * <pre>
 *   p1 p2 p5 …            partitions (an extended container is not a file)
 *   disk                  the whole image
 *   offset/               on-demand views: offset/32256, offset/63s:1M
 *   by-label/NAME         -> ../pN   (GPT partition names, then filesystem labels; first one wins)
 *   by-partuuid/UUID      -> ../pN   (GPT unique GUIDs; MBR "disksig-NN" as Linux spells them)
 *   NAME                  each --view NAME=OFFSET[:LENGTH]
 * </pre>
 *
 * With one image this is the root; with several, each image gets a folder named after its file.
 *
 * @param nodes every path ({@code "/"}, {@code "/p1"}, {@code "/a.img/by-label/root"}) to its node
 * @param notes things the user should hear about at mount time (a view cut at the image's end)
 */
record Layout(Map<String, Node> nodes, List<String> notes) {

  Layout {
    nodes = Map.copyOf(nodes);
    notes = List.copyOf(notes);
  }

  /**
   * @throws IllegalArgumentException when two images share a file name or a view starts past the
   *     end of an image
   */
  static Layout build(List<Image> images, List<ViewSpec> views) {
    if (images.isEmpty()) throw new IllegalArgumentException("no image to mount");
    Map<String, Node> nodes = new HashMap<>();
    List<String> notes = new ArrayList<>();
    if (images.size() == 1) {
      addImage(nodes, notes, "/", images.get(0), views);
    } else {
      List<String> names = new ArrayList<>();
      for (Image img : images) {
        if (names.contains(img.name())) {
          throw new IllegalArgumentException(
              "two images are named '"
                  + img.name()
                  + "': a multi-image mount has one folder per image file name");
        }
        names.add(img.name());
        addImage(nodes, notes, "/" + img.name(), img, views);
      }
      nodes.put("/", new Node.Dir(names, images.get(0)));
    }
    return new Layout(nodes, notes);
  }

  static String join(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  private static void addImage(
      Map<String, Node> nodes, List<String> notes, String dir, Image img, List<ViewSpec> views) {
    List<String> top = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> uuids = new LinkedHashMap<>();
    PartitionTable table = img.table();
    if (table != null) {
      for (Partition p : table.dataPartitions()) {
        top.add(p.name());
        nodes.put(join(dir, p.name()), new Node.File(Window.clamped(img, p.start(), p.size())));
        String label = p.label() == null ? "" : Names.escapeLabel(p.label());
        link(labels, "by-label/", label, p, img, notes);
        link(uuids, "by-partuuid/", table.partUuid(p).orElse(""), p, img, notes);
      }
      // Filesystem labels after every GPT name, so that a name is never taken by a label.
      for (Partition p : table.dataPartitions()) {
        String label = Names.escapeLabel(img.filesystemLabels().getOrDefault(p.number(), ""));
        link(labels, "by-label/", label, p, img, notes);
      }
    }
    top.add("disk");
    nodes.put(join(dir, "disk"), new Node.File(new Window(img, 0, img.size())));
    top.add("offset");
    nodes.put(join(dir, "offset"), new Node.OffsetDir(img));
    addLinks(nodes, join(dir, "by-label"), labels, img);
    top.add("by-label");
    addLinks(nodes, join(dir, "by-partuuid"), uuids, img);
    top.add("by-partuuid");
    for (ViewSpec v : views) {
      if (top.contains(v.name())) {
        throw new IllegalArgumentException("--view " + v.name() + ": the name is used twice");
      }
      Window w = v.resolve(img);
      if (OffsetRange.parse(v.range(), img.sectorSize()).clampedIn(img)) {
        notes.add(
            "view "
                + v.name()
                + " of "
                + img.path()
                + " is cut to "
                + w.length()
                + " bytes at the end of the image");
      }
      top.add(v.name());
      nodes.put(join(dir, v.name()), new Node.File(w));
    }
    nodes.put(dir, new Node.Dir(top, img));
  }

  /**
   * Links {@code name} to {@code p} unless an earlier partition has it; then a note says so once.
   */
  private static void link(
      Map<String, String> links,
      String dir,
      String name,
      Partition p,
      Image img,
      List<String> notes) {
    if (name.isEmpty()) return;
    String target = "../" + p.name();
    String first = links.putIfAbsent(name, target);
    if (first != null && !first.equals(target)) {
      String note =
          Names.forTerminal(
              img.path()
                  + ": "
                  + dir
                  + name
                  + " -> "
                  + first.substring(3)
                  + "; "
                  + p.name()
                  + " has the same name, and no link");
      // A partition whose GPT name and filesystem label both clash would say it twice.
      if (!notes.contains(note)) notes.add(note);
    }
  }

  private static void addLinks(
      Map<String, Node> nodes, String dir, Map<String, String> links, Image img) {
    nodes.put(dir, new Node.Dir(new ArrayList<>(links.keySet()), img));
    links.forEach((name, target) -> nodes.put(join(dir, name), new Node.Link(target)));
  }
}
