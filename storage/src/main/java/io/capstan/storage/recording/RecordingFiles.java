package io.capstan.storage.recording;

import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.path.ObjectPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The playlists one recording (a sid) left in a store, found by their names (the reference's
 * "File names"): the composite {@code <sid>_<cname>.m3u8} and the individual
 * {@code <sid>_<cname>__uid_s_<uid>__uid_e_<audio|video|av>.m3u8}.
 *
 * @param dir    the key prefix of the files ("" or "a/b/")
 * @param cname  the recording's cname as its names spell it (null when nothing was found)
 * @param composite the composite playlist's name, or null
 * @param uids   each uid's playlists, by uid (sorted)
 */
public record RecordingFiles(String sid, String dir, String cname, String composite, Map<String, UidPlaylists> uids) {

  private static final Pattern INDIVIDUAL = Pattern.compile("__uid_s_(.+)__uid_e_(audio|video|av)\\.m3u8");

  /** One uid's playlist names (null where it has none). */
  public record UidPlaylists(String uid, String audio, String video, String av) {

    /** The playlists to read for this uid: av alone, or video and/or audio. */
    public List<String> all() {
      List<String> names = new ArrayList<>();
      for (String n : new String[] {av, video, audio}) {
        if (n != null) {
          names.add(n);
        }
      }
      return names;
    }
  }

  /** Lists the store under {@code prefixParts} (storageConfig.fileNamePrefix) for {@code sid}'s playlists. */
  public static RecordingFiles find(ObjectStore store, List<String> prefixParts, String sid) throws StoreException {
    String prefix = ObjectPaths.prefix(prefixParts);
    String dir = prefix.isEmpty() ? "" : prefix + "/";
    List<String> names = new ArrayList<>();
    for (String key : store.list(dir + sid + "_")) {
      String name = key.substring(dir.length());
      if (!name.contains("/")) {
        names.add(name);
      }
    }
    return fromNames(sid, dir, names);
  }

  /** The recording among file {@code names} (without prefix). */
  public static RecordingFiles fromNames(String sid, String dir, List<String> names) {
    String base = sid + "_";
    String cname = null;
    String composite = null;
    Map<String, String[]> byUid = new TreeMap<>();
    for (String name : names) {
      if (!name.startsWith(base) || !name.endsWith(".m3u8")) {
        continue;
      }
      String rest = name.substring(base.length());
      int marker = rest.indexOf("__uid_s_");
      if (marker < 0) {
        // <sid>_<cname>.m3u8
        composite = name;
        cname = cname == null ? rest.substring(0, rest.length() - ".m3u8".length()) : cname;
        continue;
      }
      Matcher m = INDIVIDUAL.matcher(rest.substring(marker));
      if (!m.matches()) {
        continue;
      }
      cname = cname == null ? rest.substring(0, marker) : cname;
      String[] slots = byUid.computeIfAbsent(m.group(1), u -> new String[3]);
      int slot = switch (m.group(2)) {
        case "audio" -> 0;
        case "video" -> 1;
        default -> 2;
      };
      slots[slot] = name;
    }
    Map<String, UidPlaylists> uids = new TreeMap<>();
    byUid.forEach((uid, s) -> uids.put(uid, new UidPlaylists(uid, s[0], s[1], s[2])));
    return new RecordingFiles(sid, dir, cname, composite, uids);
  }

  public boolean isEmpty() {
    return composite == null && uids.isEmpty();
  }

  public Optional<UidPlaylists> uid(String uid) {
    return Optional.ofNullable(uids.get(uid));
  }

  /** The key of a file of this recording. */
  public String key(String fileName) {
    return dir + fileName;
  }
}
