package dev.lossbench.retrieval.npy;

/** The element types lossbench reads from and writes to {@code .npy} files (little-endian only). */
public enum NpyDType {
  FLOAT32("<f4", 4),
  FLOAT64("<f8", 8),
  INT32("<i4", 4),
  INT64("<i8", 8);

  private final String descr;
  private final int bytes;

  NpyDType(String descr, int bytes) {
    this.descr = descr;
    this.bytes = bytes;
  }

  /** The numpy {@code descr} string, e.g. {@code <f4}. */
  public String descr() {
    return descr;
  }

  public int bytes() {
    return bytes;
  }

  public boolean isFloating() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** The dtype for a numpy descr, or null when lossbench does not read it. {@code |}/{@code =} mean native order, little-endian here. */
  static NpyDType fromDescr(String descr) {
    String d = descr.replace('=', '<').replace('|', '<');
    for (NpyDType t : values()) {
      if (t.descr.equals(d)) {
        return t;
      }
    }
    return null;
  }
}
