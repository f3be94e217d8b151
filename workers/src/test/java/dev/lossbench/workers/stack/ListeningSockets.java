package dev.lossbench.workers.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** The local addresses listening on a TCP port, read from Linux's /proc/net/tcp and tcp6 (what {@code ss -ltn} shows). */
public final class ListeningSockets {
  private ListeningSockets() {}

  /** E.g. {@code [127.0.0.1]}, or {@code [0.0.0.0]} / {@code [::]} for every interface. */
  public static Set<String> addresses(int port) throws IOException {
    Set<String> found = new TreeSet<>();
    for (String table : new String[]{"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
        String[] f = line.trim().split("\\s+");
        String[] local = f[1].split(":");
        if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {
          found.add(address(local[0]));
        }
      }
    }
    return found;
  }

  /** /proc's hex address (IPv4: one little-endian word; IPv6: four) as text. */
  static String address(String hex) {
    if (hex.length() == 8) {
      return ipv4(hex);
    }
    if (hex.startsWith("0000000000000000FFFF0000")) {
      return ipv4(hex.substring(24)); // IPv4-mapped
    }
    if (hex.equals("00000000000000000000000000000000")) {
      return "::";
    }
    if (hex.equals("00000000000000000000000001000000")) {
      return "::1";
    }
    return "ipv6:" + hex;
  }

  private static String ipv4(String hex) {
    long v = Long.parseLong(hex, 16);
    return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
  }
}
