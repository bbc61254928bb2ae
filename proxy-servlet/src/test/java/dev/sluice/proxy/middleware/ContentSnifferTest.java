package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sniffing table, row by row, with the cases Go's own sniff tests use. */
class ContentSnifferTest {

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("empty", bytes(""), "text/plain; charset=utf-8"),
                Arguments.of("binary", bytes("\u0001\u0002\u0003"), "application/octet-stream"),
                Arguments.of("html document", bytes("<!DOCTYPE html><html>"), "text/html; charset=utf-8"),
                Arguments.of("html after whitespace, any case", bytes("\n\t <HtMl><b>x"), "text/html; charset=utf-8"),
                Arguments.of("html tag must end", bytes("<htmlx>"), "text/plain; charset=utf-8"),
                Arguments.of("html comment", bytes("<!-- x -->"), "text/html; charset=utf-8"),
                Arguments.of("paragraph", bytes("<p>hello"), "text/html; charset=utf-8"),
                Arguments.of("xml", bytes("\n<?xml version=\"1.0\"?>"), "text/xml; charset=utf-8"),
                Arguments.of("json is text", bytes("{\"a\": [1, 2]}"), "text/plain; charset=utf-8"),
                Arguments.of("pdf", bytes("%PDF-1.7\n"), "application/pdf"),
                Arguments.of("postscript", bytes("%!PS-Adobe-3.0"), "application/postscript"),
                Arguments.of("utf-8 bom", bytes("\u00EF\u00BB\u00BFhi"), "text/plain; charset=utf-8"),
                Arguments.of("utf-16be bom", bytes("\u00FE\u00FF\u0000h"), "text/plain; charset=utf-16be"),
                Arguments.of("gif", bytes("GIF87a"), "image/gif"),
                Arguments.of("png", bytes("\u0089PNG\r\n\u001A\n\u0000\u0000"), "image/png"),
                Arguments.of("jpeg", bytes("\u00FF\u00D8\u00FF\u00E0"), "image/jpeg"),
                Arguments.of("bmp", bytes("BMxxxx"), "image/bmp"),
                Arguments.of("webp", bytes("RIFF\u0001\u0002\u0003\u0004WEBPVP8 "), "image/webp"),
                Arguments.of("wave", bytes("RIFF\u0001\u0002\u0003\u0004WAVEfmt "), "audio/wave"),
                Arguments.of("mp3 with id3", bytes("ID3\u0003"), "audio/mpeg"),
                Arguments.of("ogg", bytes("OggS\u0000\u0002"), "application/ogg"),
                Arguments.of("webm", bytes("\u001A\u0045\u00DF\u00A3"), "video/webm"),
                Arguments.of("zip", bytes("PK\u0003\u0004"), "application/zip"),
                Arguments.of("gzip", bytes("\u001F\u008B\u0008\u0000"), "application/x-gzip"),
                Arguments.of("woff2", bytes("wOF2\u0000\u0001"), "font/woff2"),
                Arguments.of("wasm", bytes("\u0000asm\u0001\u0000\u0000\u0000"), "application/wasm"),
                Arguments.of("mp4", bytes("\u0000\u0000\u0000\u0018ftypmp42\u0000\u0000\u0000\u0000mp42isom"), "video/mp4"),
                Arguments.of("mp4 box too short", bytes("\u0000\u0000\u0000\u0018ftypmp42"), "application/octet-stream"));
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void detects(String label, byte[] body, String expected) {
        assertEquals(expected, ContentSniffer.detect(body, 0, body.length));
    }

    @ParameterizedTest(name = "{0} at an offset")
    @MethodSource("bodies")
    void detectsAtAnOffset(String label, byte[] body, String expected) {
        byte[] shifted = new byte[body.length + 3];
        System.arraycopy(body, 0, shifted, 3, body.length);
        assertEquals(expected, ContentSniffer.detect(shifted, 3, body.length));
    }

    @Test
    void looksAtTheFirst512BytesOnly() {
        byte[] body = new byte[600];
        Arrays.fill(body, (byte) 'a');
        body[550] = 1; // binary, but past what is sniffed
        assertEquals("text/plain; charset=utf-8", ContentSniffer.detect(body, 0, body.length));
    }
}
