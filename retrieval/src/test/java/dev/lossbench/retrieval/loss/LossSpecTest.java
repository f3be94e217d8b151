package dev.lossbench.retrieval.loss;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossSpecTest {

  @Test
  void parsesSpecStringsAndFillsDocumentedDefaults() {
    LossSpec s = LossSpec.parse("unified:gamma=50,margin=0.2,normalize=true");
    assertEquals(LossSpec.Name.UNIFIED, s.name());
    assertEquals(50.0, s.number("gamma"));
    assertEquals(0.2, s.number("margin"));
    assertTrue(s.flag("normalize"));
    assertEquals(Reduction.MEAN, s.reduction());
    assertEquals("unified:directions=mean,gamma=50,margin=0.2,normalize=true,reduction=mean", s.canonical());
    assertEquals("unified:margin=0.2,normalize=true", s.label());

    LossSpec hn = LossSpec.parse("triplet-hn");
    assertEquals(0.2, hn.number("margin"));
    assertEquals(Reduction.SUM, hn.reduction());
    assertEquals(Reduction.SUM, hn.directions());
    assertEquals("triplet-hn", hn.label());
    assertEquals(0.07, LossSpec.parse("infonce").number("tau"));
  }

  @Test
  void mapFormEqualsStringForm() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", "unified");
    map.put("gamma", 50);
    map.put("margin", 0.2);
    map.put("normalize", true);
    assertEquals(LossSpec.parse("unified:gamma=50,margin=0.2,normalize=true"), LossSpec.fromMap(map));
    assertEquals(LossSpec.parse("unified:gamma=50.0").canonical(), LossSpec.parse("unified:gamma=50").canonical());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "softmax|unknown loss 'softmax': expected one of triplet, triplet-hn, infonce, unified, circle",
      "unified:gama=3|unified: unknown key 'gama': expected one of gamma, margin, normalize, reduction, directions",
      "unified:gamma=0|unified: gamma=0 is not allowed: expected a number > 0",
      "unified:gamma=-2|unified: gamma=-2 is not allowed: expected a number > 0",
      "infonce:tau=0|infonce: tau=0 is not allowed: expected a number > 0",
      "triplet:margin=-0.1|triplet: margin=-0.1 is not allowed: expected a number >= 0",
      "triplet-hn:warmup_epochs=1.5|triplet-hn: warmup_epochs=1.5 is not allowed: expected an integer >= 0",
      "infonce:learnable=yes|infonce: learnable=yes is not allowed: expected true or false",
      "circle:reduction=max|circle: reduction=max is not allowed: expected mean or sum",
      "unified:gamma=abc|unified: gamma=abc is not allowed: expected a number > 0",
      "unified:gamma|loss spec 'unified:gamma': 'gamma' is not key=value",
  })
  void rejectsMistakesNamingTheKeyAndTheAllowedRange(String spec, String message) {
    LossSpecException e = assertThrows(LossSpecException.class, () -> LossSpec.parse(spec));
    assertEquals(message, e.getMessage());
  }

  @Test
  void reportsEveryBadKeyAtOnce() {
    LossSpecException e = assertThrows(LossSpecException.class, () -> LossSpec.parse("unified:gamma=0,margin=-1"));
    assertTrue(e.getMessage().contains("gamma=0"), e.getMessage());
    assertTrue(e.getMessage().contains("margin=-1"), e.getMessage());
  }
}
