package dev.lossbench.schema.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every form of credential the issue found printed, and the text around it kept. */
class SecretsTest {
  @Test
  void masksThePasswordOfAUrlsUserPartInAnyScheme() {
    assertEquals("jdbc:postgresql://u:****@localhost:5432/db",
        Secrets.mask("jdbc:postgresql://u:S3cret@localhost:5432/db"));
    assertEquals("postgres://lossbench:****@db:5432/x", Secrets.mask("postgres://lossbench:S3cret@db:5432/x"));
    assertEquals("cannot connect to jdbc:postgresql://u:****@h/db: refused",
        Secrets.mask("cannot connect to jdbc:postgresql://u:S3cret@h/db: refused"));
    // a user without a password and a plain URL are left alone
    assertEquals("jdbc:postgresql://localhost:5432/db", Secrets.mask("jdbc:postgresql://localhost:5432/db"));
    assertEquals("postgres://u@h/db", Secrets.mask("postgres://u@h/db"));
  }

  @Test
  void masksAUserPartPasswordWhateverItsCharacters() {
    for (String password : List.of("Se/cretXY", "p@ss@word", "with space", "co:lon", "per%2Fcent", "a/b@c d:e%f")) {
      String masked = Secrets
          .mask("cannot connect to jdbc:postgresql://u:" + password + "@db.example.org:5432/x: refused");
      assertEquals("cannot connect to jdbc:postgresql://u:****@db.example.org:5432/x: refused", masked, password);
      assertTrue(Secrets.credentialsIn("postgresql://u:" + password + "@h/x").contains(password), password);
    }
    // decoded as a driver prints it
    assertEquals("tried ****", Secrets.mask("tried Se/cret", Secrets.credentialsIn("postgresql://u:Se%2Fcret@h/x")
        .toArray(String[]::new)));
  }

  @Test
  void masksEveryKeyNamedPassword() {
    assertEquals("jdbc:postgresql://h/db?user=u&password=****&ssl=true",
        Secrets.mask("jdbc:postgresql://h/db?user=u&password=S3cret&ssl=true"));
    assertEquals("jdbc:postgresql://h/db?sslpassword=****", Secrets.mask("jdbc:postgresql://h/db?sslpassword=S3cret"));
    assertEquals("PASSWORD=**** LOSSBENCH_DB_PASSWORD=****",
        Secrets.mask("PASSWORD=S3cret LOSSBENCH_DB_PASSWORD=S3cret"));
    assertEquals("{\"sslPassword\": \"****\", \"user\": \"u\"}",
        Secrets.mask("{\"sslPassword\": \"S3cret\", \"user\": \"u\"}"));
    // naming the variable is not a secret
    assertEquals("check LOSSBENCH_DB_USER and LOSSBENCH_DB_PASSWORD",
        Secrets.mask("check LOSSBENCH_DB_USER and LOSSBENCH_DB_PASSWORD"));
  }

  @Test
  void masksAKnownSecretWhereverADriverEchoedIt() {
    assertEquals("FATAL: password authentication failed (tried ****)",
        Secrets.mask("FATAL: password authentication failed (tried S3cret)", "S3cret"));
    assertFalse(Secrets.mask("x S3cret y", null, "", "S3cret").contains("S3cret"));
    assertTrue(Secrets.containsCredential("postgres://u:p@h"));
    assertFalse(Secrets.containsCredential("postgres://u@h"));
    assertNull(Secrets.mask(null));
  }
}
