package io.capstan.schemas;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Fills any record with random values, every union branch reachable, so round-trips cover the whole schema. */
final class RandomRecords {

  private final Random random;

  RandomRecords(long seed) {
    this.random = new Random(seed);
  }

  @SuppressWarnings("unchecked")
  <T extends SpecificRecord> T next(Class<T> type) {
    Schema schema = SpecificData.get().getSchema(type);
    GenericRecord generic = (GenericRecord) value(schema, 0);
    return (T) SpecificData.get().deepCopy(schema, generic);
  }

  private Object value(Schema schema, int depth) {
    switch (schema.getType()) {
      case RECORD: {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), value(field.schema(), depth + 1));
        }
        return record;
      }
      case UNION: {
        List<Schema> branches = schema.getTypes();
        return value(branches.get(random.nextInt(branches.size())), depth + 1);
      }
      case ARRAY: {
        List<Object> list = new ArrayList<>();
        int n = depth > 6 ? 0 : random.nextInt(3);
        for (int i = 0; i < n; i++) {
          list.add(value(schema.getElementType(), depth + 1));
        }
        return list;
      }
      case MAP: {
        Map<String, Object> map = new HashMap<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
          map.put("k" + random.nextInt(1000), value(schema.getValueType(), depth + 1));
        }
        return map;
      }
      case ENUM:
        return new GenericData.EnumSymbol(schema,
            schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
      case STRING:
        return "s" + Long.toHexString(random.nextLong()) + "é";
      case BYTES: {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
      }
      case INT:
        return random.nextInt();
      case LONG:
        return random.nextLong();
      case FLOAT:
        return random.nextFloat();
      case DOUBLE:
        return random.nextDouble();
      case BOOLEAN:
        return random.nextBoolean();
      case NULL:
        return null;
      default:
        throw new IllegalArgumentException("no generator for " + schema.getType());
    }
  }
}
