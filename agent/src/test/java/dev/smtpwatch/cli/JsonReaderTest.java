package dev.smtpwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {
    @Test
    void nestedObjectsAndArraysKeepTheirOrderAndTypes() throws Exception {
        Object value = JsonReader.parse(
            " {\"a\":{\"b\":[1,-2,3.5,1e3,true,false,null,[],{}]},\"z\":\"s\",\"m\":9223372036854775808} ");

        Map<String, Object> expected = new LinkedHashMap<>();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", Arrays.asList(1L, -2L, 3.5, 1000.0, true, false, null, List.of(), Map.of()));
        expected.put("a", a);
        expected.put("z", "s");
        expected.put("m", 9.223372036854775808e18);
        assertEquals(expected, value);
        assertEquals(List.of("a", "z", "m"), List.copyOf(((Map<?, ?>) value).keySet()));
    }

    @Test
    void stringEscapesIncludingUnicodeAndSurrogatePairs() throws Exception {
        assertEquals("q\" b\\ s/ \b\f\n\r\t é \u2028 😀",
            JsonReader.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\u2028 \\ud83d\\ude00\""));
    }

    @Test
    void readsWhatJacksonWritesForAwkwardText() throws Exception {
        String awkward = "tab\t nl\n cr\r bell\u0007 del\u007f quote\" backslash\\ é 😀 \u2029";
        String json = new ObjectMapper().writeValueAsString(Map.of("text", awkward));
        assertEquals(Map.of("text", awkward), JsonReader.parse(json));
    }

    @Test
    void literalsAndEmptyContainers() throws Exception {
        assertNull(JsonReader.parse("null"));
        assertEquals(Boolean.TRUE, JsonReader.parse("true"));
        assertEquals(List.of(), JsonReader.parse("[ ]"));
        assertEquals(Map.of(), JsonReader.parse("{ }"));
        assertEquals(0L, JsonReader.parse("0"));
        assertEquals(-0.25, JsonReader.parse("-0.25"));
        assertEquals(2.5e-3, JsonReader.parse("2.5E-3"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":1,}                  | expected a field name in quotes at column 8",
        "{\"a\" 1}                   | expected ':' at column 6",
        "{\"a\":1                    | expected ',' or '}' at the end of the line",
        "[1 2]                       | expected ',' or ']' at column 4",
        "\"open                      | string not closed at column 1",
        "\"bad \\x\"                 | bad escape '\\x' at column 7",
        "\"\\u12G4\"                 | \\u needs four hex digits at column 4",
        "01                          | unexpected '1' after the value at column 2",
        "1.                          | bad number: digits expected after '.' at the end of the line",
        "-                           | bad number at the end of the line",
        "tru                         | unexpected 't' at column 1",
        "{} x                        | unexpected 'x' after the value at column 4",
        "{a:1}                       | expected a field name in quotes at column 2",
        "[1,]                        | unexpected ']' at column 4",
    })
    void malformedTextSaysWhatAndWhere(String json, String problem) {
        JsonReader.MalformedJsonException e =
            assertThrows(JsonReader.MalformedJsonException.class, () -> JsonReader.parse(json));
        assertEquals(problem, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void nothingIsNoValue(String json) {
        JsonReader.MalformedJsonException e =
            assertThrows(JsonReader.MalformedJsonException.class, () -> JsonReader.parse(json));
        assertEquals("a value expected at the end of the line", e.getMessage());
    }

    @Test
    void rawControlCharactersInStringsAreRejected() {
        JsonReader.MalformedJsonException e =
            assertThrows(JsonReader.MalformedJsonException.class, () -> JsonReader.parse("\"a\tb\""));
        assertEquals("control character in a string (must be escaped) at column 3", e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        JsonReader.MalformedJsonException e =
            assertThrows(JsonReader.MalformedJsonException.class, () -> JsonReader.parse(deep));
        assertEquals("nested more than 64 levels deep at column 65", e.getMessage());
    }
}
