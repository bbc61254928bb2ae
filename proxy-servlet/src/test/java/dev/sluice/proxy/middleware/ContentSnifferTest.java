package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Content sniffing, against what Go's http.DetectContentType answers for the same bytes. */
class ContentSnifferTest {
    private static String sniff(String isoText) {
        return ContentSniffer.sniff(ByteBuffer.wrap(isoText.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void table() {
        String[][] rows = {
            {"<!DOCTYPE html><p>", "text/html; charset=utf-8"},
            {"  <html>x", "text/html; charset=utf-8"},
            {"<p>hello", "text/html; charset=utf-8"},
            {"<pre>", "text/plain; charset=utf-8"},
            {"<?xml version=\"1.0\"?>", "text/xml; charset=utf-8"},
            {"%PDF-1.7", "application/pdf"},
            {"GIF89a...", "image/gif"},
            {"\u0089PNG\r\n\u001A\nrest", "image/png"},
            {"PK\u0003\u0004rest", "application/zip"},
            {"\u001F\u008B\u0008rest", "application/x-gzip"},
            {"RIFF\u0000\u0000\u0000\u0000WEBPVP8", "image/webp"},
            {"{\"json\": true}", "text/plain; charset=utf-8"},
            {"bin\u0000ary", "application/octet-stream"},
            {"", "text/plain; charset=utf-8"},
        };
        for (String[] row : rows) {
            assertEquals(row[1], sniff(row[0]), row[0]);
        }
    }
}
