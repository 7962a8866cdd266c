package io.rotor.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * The one {@link ObjectMapper} that reads and writes the options classes.
 *
 * <p>It binds <em>fields</em> (named snake_case), not getters/setters: the fluent setters return
 * {@code this}, and helper methods such as {@link ChannelOptions#historyEnabled()} must not turn
 * into config keys. It is strict about types (no "8000" for an int, no 1 for a boolean) and nulls
 * (only fields annotated otherwise accept null), so mistakes surface as errors naming the key.
 * Unknown keys are not an error here: the loader reports them as warnings.
 */
final class ConfigMapper {

  static final ObjectMapper MAPPER = create();

  private ConfigMapper() {
  }

  private static ObjectMapper create() {
    SimpleModule durations = new SimpleModule("rotor-durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    durations.addSerializer(Duration.class, new DurationSerializer());
    JsonMapper m = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
        .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .serializationInclusion(JsonInclude.Include.ALWAYS)
        .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL, Nulls.FAIL))
        .addModule(durations)
        .build();
    // Jackson still turns 123 or true into "123"/"true" for String fields; a config wants quotes.
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  /** A Go-style string ("25s"), or a JSON number of seconds (may have a fraction). */
  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING) {
        return Durations.parse(p.getText()); // IllegalArgumentException: the loader adds the key
      }
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        return fromSeconds(p.getDecimalValue());
      }
      throw new IllegalArgumentException("expected a duration such as \"25s\" or a number of seconds, got "
          + (t == JsonToken.START_OBJECT ? "an object" : t == JsonToken.START_ARRAY ? "an array" : p.getText()));
    }
  }

  static Duration fromSeconds(BigDecimal seconds) {
    if (seconds.signum() < 0) {
      throw new IllegalArgumentException("negative duration " + seconds.toPlainString() + " is not allowed");
    }
    try {
      return Duration.ofNanos(seconds.movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration " + seconds.toPlainString() + " seconds is out of range");
    }
  }

  private static final class DurationSerializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(Durations.format(value));
    }
  }
}
