package dev.lossbench.retrieval.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a TorchScript archive keeps each tensor: reads the archive's {@code data.pkl} (the module object as a Python
 * pickle, as libtorch's pickler writes it) far enough to name every tensor attribute by its dotted path — the names
 * {@code named_parameters()} gives — with the storage record it reads and its view of that storage. Only the opcodes
 * libtorch writes are understood; any other makes {@link #read} answer empty, and the caller takes another route.
 */
final class TorchScriptPickle {
  private TorchScriptPickle() {}

  /** A tensor attribute: its storage record's key, type and location, and its view (offset, sizes, strides). */
  record TensorRef(String key, String storageType, String location, long storageNumel, long offset, List<Long> size,
      List<Long> stride) {
    long numel() {
      long n = 1;
      for (long s : size) {
        n *= s;
      }
      return n;
    }

    /** The whole storage, in order: the tensor's bytes are exactly its storage record's. */
    boolean coversItsStorage() {
      long expected = 1;
      for (int i = size.size() - 1; i >= 0; i--) {
        if (size.get(i) != 1 && stride.get(i) != expected) {
          return false;
        }
        expected *= size.get(i);
      }
      return offset == 0 && numel() == storageNumel;
    }
  }

  /**
   * The tensors of {@code pickle}, by the dotted path of every attribute that holds one (a tensor held twice has two
   * paths), and how many tensors read each storage key; empty when the pickle uses anything this reader does not know.
   */
  record Tensors(Map<String, TensorRef> byPath, Map<String, Integer> usesOfKey) {}

  static Optional<Tensors> read(byte[] pickle) {
    try {
      Machine machine = new Machine(pickle);
      if (!(machine.run() instanceof Obj root)) {
        return Optional.empty();
      }
      Map<String, TensorRef> byPath = new LinkedHashMap<>();
      walk(root, "", byPath, new IdentityHashMap<>());
      return Optional.of(new Tensors(byPath, Map.copyOf(machine.uses)));
    } catch (RuntimeException e) {
      // a malformed or unknown pickle (buffer underflow, a class cast, a missing mark): not this reader's to read
      return Optional.empty();
    }
  }

  private static void walk(Obj obj, String prefix, Map<String, TensorRef> out, Map<Obj, Boolean> seen) {
    if (seen.put(obj, Boolean.TRUE) != null || obj.state == null) {
      return;
    }
    for (Map.Entry<Object, Object> e : obj.state.entrySet()) {
      if (!(e.getKey() instanceof String name)) {
        continue;
      }
      if (e.getValue() instanceof TensorRef t) {
        out.put(prefix + name, t);
      } else if (e.getValue() instanceof Obj child) {
        walk(child, prefix + name + ".", out, seen);
      }
    }
  }

  /** A pickled object of a TorchScript class: its attributes once BUILD has run. */
  private static final class Obj {
    Map<Object, Object> state;
  }

  private record Global(String module, String name) {}

  private record PersistentId(Object pid) {}

  /** Any other reduced call (a quantised tensor, a custom class): opaque, but the storages it reads are counted. */
  private record Reduced(Global callable, Object args) {}

  private static final class Unsupported extends RuntimeException {
    Unsupported(String what) {
      super(what, null, false, false);
    }
  }

  /** The pickle virtual machine, for the opcodes of protocols 2–4 that libtorch's pickler emits. */
  private static final class Machine {
    private final ByteBuffer in;
    private final Deque<Object> stack = new ArrayDeque<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();

    Machine(byte[] pickle) {
      this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    }

    Object run() {
      while (true) {
        int op = in.get() & 0xff;
        switch (op) {
          case 0x80 -> in.get(); // PROTO
          case 0x95 -> in.getLong(); // FRAME
          case '.' -> {
            return stack.pop(); // STOP
          }
          case 'c' -> stack.push(new Global(line(), line()));
          case 'q' -> memo.put(in.get() & 0xff, stack.peek());
          case 'r' -> memo.put(in.getInt(), stack.peek());
          case 0x94 -> memo.put(memo.size(), stack.peek()); // MEMOIZE
          case 'h' -> push(memo.get(in.get() & 0xff));
          case 'j' -> push(memo.get(in.getInt()));
          case '(' -> marks.push(stack.size());
          case ')' -> stack.push(List.of());
          case 't' -> stack.push(popToMark());
          case 0x85 -> stack.push(tuple(1));
          case 0x86 -> stack.push(tuple(2));
          case 0x87 -> stack.push(tuple(3));
          case '}' -> stack.push(new LinkedHashMap<Object, Object>());
          case ']' -> stack.push(new ArrayList<Object>());
          case 'a' -> {
            Object v = stack.pop();
            list().add(v);
          }
          case 'e' -> {
            List<Object> items = popToMark();
            list().addAll(items);
          }
          case 's' -> {
            Object v = stack.pop();
            Object k = stack.pop();
            dict().put(k, v);
          }
          case 'u' -> {
            List<Object> items = popToMark();
            Map<Object, Object> d = dict();
            for (int i = 0; i + 1 < items.size(); i += 2) {
              d.put(items.get(i), items.get(i + 1));
            }
          }
          case 0x81 -> { // NEWOBJ
            stack.pop();
            if (!(stack.pop() instanceof Global)) {
              throw new Unsupported("NEWOBJ of a non-class");
            }
            stack.push(new Obj());
          }
          case 'b' -> { // BUILD
            Object state = stack.pop();
            if (stack.peek() instanceof Obj obj && state instanceof Map<?, ?> m) {
              @SuppressWarnings("unchecked")
              Map<Object, Object> attributes = (Map<Object, Object>) m;
              obj.state = attributes;
            }
          }
          case 'Q' -> stack.push(new PersistentId(stack.pop()));
          case 'R' -> stack.push(reduce(stack.pop(), stack.pop()));
          case 'X' -> stack.push(utf8(in.getInt()));
          case 0x8c -> stack.push(utf8(in.get() & 0xff));
          case 'T' -> stack.push(utf8(in.getInt()));
          case 'U' -> stack.push(utf8(in.get() & 0xff));
          case 'B' -> stack.push(bytes(in.getInt()));
          case 'C' -> stack.push(bytes(in.get() & 0xff));
          case 'J' -> stack.push((long) in.getInt());
          case 'K' -> stack.push((long) (in.get() & 0xff));
          case 'M' -> stack.push((long) (in.getShort() & 0xffff));
          case 0x8a -> stack.push(long1());
          case 'G' -> stack.push(Double.longBitsToDouble(Long.reverseBytes(in.getLong())));
          case 0x88 -> stack.push(Boolean.TRUE);
          case 0x89 -> stack.push(Boolean.FALSE);
          case 'N' -> stack.push(None.NONE);
          default -> throw new Unsupported("opcode " + op);
        }
      }
    }

    private enum None {
      NONE
    }

    private void push(Object memoised) {
      if (memoised == null) {
        throw new Unsupported("memo miss");
      }
      stack.push(memoised);
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)} makes a tensor; others stay opaque. */
    private Object reduce(Object args, Object callable) {
      if (!(callable instanceof Global g) || !(args instanceof List<?> a)) {
        throw new Unsupported("REDUCE");
      }
      for (Object arg : a) {
        if (arg instanceof PersistentId p) {
          uses.merge(storage(p).key(), 1, Integer::sum);
        }
      }
      if (g.module().equals("torch._utils") && g.name().equals("_rebuild_tensor_v2")) {
        StorageRecord s = storage((PersistentId) a.get(0));
        return new TensorRef(s.key(), s.type(), s.location(), s.numel(), (Long) a.get(1), longs(a.get(2)),
            longs(a.get(3)));
      }
      return new Reduced(g, args);
    }

    private record StorageRecord(String key, String type, String location, long numel) {}

    /** {@code ('storage', torch.FloatStorage, key, location, numel)} */
    private static StorageRecord storage(PersistentId p) {
      List<?> t = (List<?>) p.pid();
      if (t.size() != 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global type)) {
        throw new Unsupported("persistent id " + t);
      }
      return new StorageRecord((String) t.get(2), type.module() + "." + type.name(), (String) t.get(3),
          (Long) t.get(4));
    }

    private static List<Long> longs(Object tuple) {
      List<Long> out = new ArrayList<>();
      for (Object o : (List<?>) tuple) {
        out.add((Long) o);
      }
      return out;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list() {
      if (!(stack.peek() instanceof ArrayList<?>)) {
        throw new Unsupported("APPEND to a non-list");
      }
      return (List<Object>) stack.peek();
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict() {
      if (!(stack.peek() instanceof LinkedHashMap<?, ?>)) {
        throw new Unsupported("SETITEM on a non-dict");
      }
      return (Map<Object, Object>) stack.peek();
    }

    private List<Object> popToMark() {
      int at = marks.pop();
      List<Object> items = new ArrayList<>();
      while (stack.size() > at) {
        items.add(0, stack.pop());
      }
      return List.copyOf(items);
    }

    private List<Object> tuple(int n) {
      Object[] items = new Object[n];
      for (int i = n - 1; i >= 0; i--) {
        items[i] = stack.pop();
      }
      return List.of(items);
    }

    private String line() {
      StringBuilder s = new StringBuilder();
      for (byte b = in.get(); b != '\n'; b = in.get()) {
        s.append((char) b);
      }
      return s.toString();
    }

    private String utf8(int n) {
      return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private byte[] bytes(int n) {
      if (n < 0 || n > in.remaining()) {
        throw new Unsupported("length " + n);
      }
      byte[] b = new byte[n];
      in.get(b);
      return b;
    }

    private long long1() {
      int n = in.get() & 0xff;
      if (n > 8) {
        throw new Unsupported("LONG1 of " + n + " bytes");
      }
      long v = 0;
      for (int i = 0; i < n; i++) {
        v |= (in.get() & 0xffL) << (8 * i);
      }
      if (n > 0 && n < 8 && (v >> (8 * n - 1) & 1) == 1) {
        v -= 1L << (8 * n); // two's complement of n bytes
      }
      return v;
    }
  }
}
