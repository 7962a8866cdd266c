package io.rotor.channel;

import io.rotor.protocol.pb.FilterNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A subscriber's tags filter ({@code SubscribeRequest.tf}, Centrifugo v6.4): a tree of
 * {@code and}/{@code or}/{@code not} nodes over leaves that compare one publication tag, with the
 * operators and validation rules of centrifuge's filter package. Publications whose tags do not
 * match are not delivered to the subscriber (live or recovered); they still move its stream position.
 *
 * <p>Validated once at subscribe time, and bounded: a tree deeper than {@link #MAX_DEPTH} or with
 * more than {@link #MAX_NODES} nodes or {@link #MAX_VALUES} values is refused like a malformed one.
 */
public final class TagsFilter {

  /** Bounds that keep one subscriber's filter cheap to evaluate on every publication. */
  public static final int MAX_DEPTH = 16;
  public static final int MAX_NODES = 128;
  public static final int MAX_VALUES = 1024;

  private final FilterNode root;

  private TagsFilter(FilterNode root) {
    this.root = root;
  }

  /**
   * A checked filter.
   *
   * @throws IllegalArgumentException naming what is wrong, when the tree is not a valid filter
   */
  public static TagsFilter of(FilterNode root) {
    int[] budget = {MAX_NODES, MAX_VALUES};
    validate(root, 1, budget);
    return new TagsFilter(root);
  }

  public FilterNode root() {
    return root;
  }

  /** True when a publication with these tags (null: none) passes the filter. */
  public boolean matches(Map<String, String> tags) {
    return match(root, tags == null ? Map.of() : tags);
  }

  private static boolean match(FilterNode f, Map<String, String> tags) {
    switch (f.getOp()) {
      case "" -> {
        String val = tags.get(f.getKey());
        boolean ok = val != null;
        return switch (f.getCmp()) {
          case "eq" -> ok && val.equals(f.getVal());
          case "neq" -> !ok || !val.equals(f.getVal());
          // A missing tag compares as "" (centrifuge reads the map's zero value).
          case "in" -> f.getValsList().contains(ok ? val : "");
          case "nin" -> !f.getValsList().contains(ok ? val : "");
          case "ex" -> ok;
          case "nex" -> !ok;
          case "sw" -> ok && val.startsWith(f.getVal());
          case "ew" -> ok && val.endsWith(f.getVal());
          case "ct" -> ok && val.contains(f.getVal());
          case "gt", "gte", "lt", "lte" -> ok && compare(f.getCmp(), val, f.getVal());
          default -> false;
        };
      }
      case "and" -> {
        for (FilterNode c : f.getNodesList()) {
          if (!match(c, tags)) {
            return false;
          }
        }
        return true;
      }
      case "or" -> {
        for (FilterNode c : f.getNodesList()) {
          if (match(c, tags)) {
            return true;
          }
        }
        return false;
      }
      case "not" -> {
        return !match(f.getNodes(0), tags);
      }
      default -> {
        return false;
      }
    }
  }

  /** Numeric comparison of decimal strings; a value that is not a number never matches. */
  private static boolean compare(String cmp, String value, String against) {
    BigDecimal v;
    BigDecimal c;
    try {
      v = decimal(value);
      c = decimal(against);
    } catch (NumberFormatException e) {
      return false;
    }
    int r = v.compareTo(c);
    return switch (cmp) {
      case "gt" -> r > 0;
      case "gte" -> r >= 0;
      case "lt" -> r < 0;
      default -> r <= 0;
    };
  }

  /** A plain decimal ({@code -12.5}); exponents and oversized numbers are not numbers here. */
  private static BigDecimal decimal(String s) {
    if (s.length() > 64 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
      throw new NumberFormatException(s);
    }
    return new BigDecimal(s);
  }

  private static void validate(FilterNode f, int depth, int[] budget) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("filter deeper than " + MAX_DEPTH);
    }
    if (--budget[0] < 0) {
      throw new IllegalArgumentException("filter has more than " + MAX_NODES + " nodes");
    }
    budget[1] -= f.getValsCount();
    if (budget[1] < 0) {
      throw new IllegalArgumentException("filter has more than " + MAX_VALUES + " values");
    }
    switch (f.getOp()) {
      case "" -> validateLeaf(f);
      case "and", "or" -> {
        if (f.getNodesCount() == 0) {
          throw new IllegalArgumentException(f.getOp() + " node must have at least one child");
        }
        for (FilterNode c : f.getNodesList()) {
          validate(c, depth + 1, budget);
        }
      }
      case "not" -> {
        if (f.getNodesCount() != 1) {
          throw new IllegalArgumentException("not node must have exactly one child");
        }
        validate(f.getNodes(0), depth + 1, budget);
      }
      default -> throw new IllegalArgumentException("invalid op: " + f.getOp());
    }
  }

  private static void validateLeaf(FilterNode f) {
    String cmp = f.getCmp();
    List<String> vals = f.getValsList();
    switch (cmp) {
      case "eq", "neq", "sw", "ew", "ct", "gt", "gte", "lt", "lte" -> {
        if (f.getVal().isEmpty()) {
          throw new IllegalArgumentException(cmp + " comparison requires val");
        }
        if (!vals.isEmpty()) {
          throw new IllegalArgumentException(cmp + " comparison must not use vals");
        }
      }
      case "in", "nin" -> {
        if (vals.isEmpty()) {
          throw new IllegalArgumentException(cmp + " comparison requires non-empty vals");
        }
        if (!f.getVal().isEmpty()) {
          throw new IllegalArgumentException(cmp + " comparison must not use val");
        }
      }
      case "ex", "nex" -> {
        if (!f.getVal().isEmpty() || !vals.isEmpty()) {
          throw new IllegalArgumentException(cmp + " comparison must not use val or vals");
        }
      }
      case "" -> throw new IllegalArgumentException("leaf node must have cmp set");
      default -> throw new IllegalArgumentException("unknown comparison operator: " + cmp);
    }
    if (f.getKey().isEmpty() && !cmp.equals("ex") && !cmp.equals("nex")) {
      throw new IllegalArgumentException("leaf node requires key");
    }
  }
}
