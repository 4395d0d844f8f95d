package io.vmsup.config.impl;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vmsup.config.SpecResult;
import io.vmsup.config.Violation;
import java.util.List;
import java.util.Optional;

/** JSON text → {@link SpecResult}: syntax, then fields, then cross-field rules; never throws on bad input. */
public final class SpecParser {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private SpecParser() {
  }

  public static SpecResult parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      return new SpecResult.Invalid(List.of(syntax(e)));
    }
    if (root == null || root.isMissingNode()) {
      return new SpecResult.Invalid(List.of(new Violation("", "the spec is empty; expected a JSON object")));
    }
    Problems problems = new Problems();
    Optional<TopParser.Draft> draft = Obj.of(root, "", problems).map(TopParser::parse);
    draft.ifPresent(d -> SpecValidator.validate(d, problems));
    if (!problems.isEmpty() || draft.isEmpty()) {
      return new SpecResult.Invalid(problems.list());
    }
    return new SpecResult.Valid(draft.get().spec());
  }

  private static Violation syntax(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
    return new Violation("", "invalid JSON at " + where + e.getOriginalMessage());
  }
}
