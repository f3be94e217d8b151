package dev.lossbench.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StoreChoice}: what the environment says about the store, read in one place. */
class StoreChoiceTest {
  @Test
  void noUrlOrABlankOneIsTheEmbeddedStore() {
    StoreChoice unset = StoreChoice.fromEnvironment(Map.of(Database.PASSWORD_VARIABLE, "Se3cret"));
    assertFalse(unset.external());
    assertNull(unset.url());
    assertFalse(unset.urlSetButBlank());
    assertEquals("embedded PostgreSQL", unset.toString());

    StoreChoice blank = StoreChoice.fromEnvironment(Map.of(Database.URL_VARIABLE, "  "));
    assertFalse(blank.external());
    assertNull(blank.url());
    assertTrue(blank.urlSetButBlank(), "set but empty: said so where a cluster needs the store");
  }

  @Test
  void aUrlIsAnExternalStoreWhoseCredentialsAreKnownForMaskingAndNeverShown() {
    StoreChoice external = StoreChoice.fromEnvironment(Map.of(
        Database.URL_VARIABLE, "jdbc:postgresql://db.example.org:5432/lossbench?password=InUrl9",
        Database.USER_VARIABLE, "lossbench", Database.PASSWORD_VARIABLE, "Se3cretXY"));
    assertTrue(external.external());
    assertFalse(external.urlSetButBlank());
    assertEquals("jdbc:postgresql://db.example.org:5432/lossbench?password=InUrl9", external.url());
    assertArrayEquals(new String[]{"InUrl9", "Se3cretXY"}, external.secrets());
    assertFalse(external.toString().contains("InUrl9"), external.toString());
    assertFalse(external.toString().contains("Se3cretXY"), external.toString());
  }
}
