package dev.argus.model;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Duplicate keys refused in every object, done by the readers rather than by Jackson's
 * {@code STRICT_DUPLICATE_DETECTION}: that feature gives every object a detector that hashes each name into
 * a fresh {@code HashSet} from the third name on: 15 % of an ingest node's CPU samples on 100-frame batches
 * (JFR, 2026-12-03); reading a frame costs about 0.88x without it (bench/parse). Here a reader marks the fields it knows in a bit mask and the names it does not know in a
 * {@code Names} made only when an object has one; {@link #skip} walks whatever value a reader does not read
 * with the same check. The message is Jackson's ({@code Duplicate field 'x'}).
 */
public final class StrictKeys {
  private StrictKeys() {}

  /** {@code mask} with {@code bit} set; refuses {@code name} when the bit was set already. */
  public static int once(int mask, int bit, String name, JsonParser p) throws JsonParseException {
    if ((mask & bit) != 0) throw duplicate(name, p);
    return mask | bit;
  }

  /**
   * Records {@code name} among an object's other names ({@code seen} may be null: made here on the first
   * name) and refuses it when it was there already.
   */
  public static Names add(Names seen, String name, JsonParser p) throws JsonParseException {
    Names names = seen != null ? seen : new Names();
    if (!names.add(name)) throw duplicate(name, p);
    return names;
  }

  /**
   * On a value's first token: skips the value (a no-op on scalars and end tokens, as
   * {@link JsonParser#skipChildren()}), refusing a duplicate key in any object inside it. Recursion is bounded
   * by the parser's nesting limit ({@link FrameReader#MAX_DEPTH}).
   */
  public static void skip(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Names seen = null;
      String name;
      while ((name = p.nextFieldName()) != null) {
        seen = add(seen, name, p);
        p.nextToken();
        skip(p);
      }
    } else if (t == JsonToken.START_ARRAY) {
      while (p.nextToken() != JsonToken.END_ARRAY) skip(p);
    }
  }

  private static JsonParseException duplicate(String name, JsonParser p) {
    return new JsonParseException(p, "Duplicate field '" + name + "'");
  }

  /** An object's names: compared in a small array (objects rarely have more), hashed past that. */
  public static final class Names {
    private static final int FEW = 8;
    private final String[] few = new String[FEW];
    private int count;
    private Set<String> many;

    boolean add(String name) {
      if (many != null) return many.add(name);
      for (int i = 0; i < count; i++) {
        if (few[i].equals(name)) return false;
      }
      if (count < FEW) {
        few[count++] = name;
        return true;
      }
      many = new HashSet<>(Set.of(few));
      return many.add(name);
    }
  }
}
