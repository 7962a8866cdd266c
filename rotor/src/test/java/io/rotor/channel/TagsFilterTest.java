package io.rotor.channel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.protocol.pb.FilterNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tags filter tree: centrifuge's operators and validation rules, and Rotor's size bounds. */
class TagsFilterTest {

  private static FilterNode leaf(String key, String cmp, String val) {
    return FilterNode.newBuilder().setKey(key).setCmp(cmp).setVal(val).build();
  }

  private static FilterNode leaf(String key, String cmp, List<String> vals) {
    return FilterNode.newBuilder().setKey(key).setCmp(cmp).addAllVals(vals).build();
  }

  private static FilterNode node(String op, FilterNode... children) {
    return FilterNode.newBuilder().setOp(op).addAllNodes(List.of(children)).build();
  }

  private static boolean match(FilterNode f, Map<String, String> tags) {
    return TagsFilter.of(f).matches(tags);
  }

  @Test
  void leafComparators() {
    Map<String, String> t = Map.of("k", "yes", "n", "10.5", "s", "prefix-middle-suffix");
    assertTrue(match(leaf("k", "eq", "yes"), t));
    assertFalse(match(leaf("k", "eq", "no"), t));
    assertTrue(match(leaf("k", "neq", "no"), t));
    assertTrue(match(leaf("missing", "neq", "x"), t), "a missing tag is not equal");
    assertTrue(match(leaf("k", "in", List.of("a", "yes")), t));
    assertTrue(match(leaf("k", "nin", List.of("a", "b")), t));
    assertTrue(match(leaf("k", "ex", ""), t));
    assertTrue(match(leaf("missing", "nex", ""), t));
    assertTrue(match(leaf("s", "sw", "prefix"), t));
    assertTrue(match(leaf("s", "ew", "suffix"), t));
    assertTrue(match(leaf("s", "ct", "middle"), t));
    assertFalse(match(leaf("missing", "ct", "x"), t));
    assertTrue(match(leaf("n", "gt", "9"), t), "numbers compare as decimals, not strings");
    assertTrue(match(leaf("n", "gte", "10.50"), t));
    assertTrue(match(leaf("n", "lt", "100"), t));
    assertTrue(match(leaf("n", "lte", "10.5"), t));
    assertFalse(match(leaf("k", "gt", "1"), t), "a value that is no number never matches");
    assertFalse(match(leaf("missing", "lt", "1"), t));
    assertFalse(match(leaf("k", "eq", "yes"), null), "no tags");
  }

  @Test
  void andOrNot() {
    Map<String, String> t = Map.of("a", "1", "b", "2");
    assertTrue(match(node("and", leaf("a", "eq", "1"), leaf("b", "eq", "2")), t));
    assertFalse(match(node("and", leaf("a", "eq", "1"), leaf("b", "eq", "3")), t));
    assertTrue(match(node("or", leaf("a", "eq", "0"), leaf("b", "eq", "2")), t));
    assertFalse(match(node("not", leaf("a", "eq", "1")), t));
  }

  @Test
  void malformedTreesAreRefused() {
    List<FilterNode> bad = List.of(
        leaf("k", "", "v"), leaf("k", "like", "v"), leaf("k", "eq", ""), leaf("", "eq", "v"),
        leaf("k", "in", List.of()), FilterNode.newBuilder().setKey("k").setCmp("eq").setVal("v").addVals("x").build(),
        FilterNode.newBuilder().setKey("k").setCmp("ex").setVal("v").build(),
        node("and"), node("not", leaf("a", "ex", ""), leaf("b", "ex", "")), node("xor", leaf("a", "ex", "")));
    for (FilterNode f : bad) {
      assertThrows(IllegalArgumentException.class, () -> TagsFilter.of(f), f.toString());
    }
  }

  @Test
  void deepOrLargeTreesAreRefused() {
    FilterNode deep = leaf("k", "ex", "");
    for (int i = 0; i < TagsFilter.MAX_DEPTH; i++) {
      deep = node("not", deep);
    }
    FilterNode tooDeep = deep;
    assertThrows(IllegalArgumentException.class, () -> TagsFilter.of(tooDeep));
    FilterNode.Builder wide = FilterNode.newBuilder().setOp("or");
    for (int i = 0; i < TagsFilter.MAX_NODES; i++) {
      wide.addNodes(leaf("k", "ex", ""));
    }
    assertThrows(IllegalArgumentException.class, () -> TagsFilter.of(wide.build()));
    FilterNode.Builder many = FilterNode.newBuilder().setKey("k").setCmp("in");
    for (int i = 0; i <= TagsFilter.MAX_VALUES; i++) {
      many.addVals("v" + i);
    }
    assertThrows(IllegalArgumentException.class, () -> TagsFilter.of(many.build()));
  }
}
