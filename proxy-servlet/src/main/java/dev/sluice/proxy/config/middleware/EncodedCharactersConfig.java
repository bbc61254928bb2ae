package dev.sluice.proxy.config.middleware;

/**
 * {@code encodedCharacters}: refuses (400) a request whose raw path holds one of these encoded
 * characters, unless allowed: {@code %2F}, {@code %5C}, {@code %00}, {@code %3B}, {@code %25},
 * {@code %3F}, {@code %23} (hex in either case). All refused by default.
 */
public record EncodedCharactersConfig(Boolean allowEncodedSlash, Boolean allowEncodedBackSlash, Boolean allowEncodedNullCharacter,
        Boolean allowEncodedSemicolon, Boolean allowEncodedPercent, Boolean allowEncodedQuestionMark, Boolean allowEncodedHash)
        implements MiddlewareOptions {
    public EncodedCharactersConfig {
        allowEncodedSlash = allowEncodedSlash != null && allowEncodedSlash;
        allowEncodedBackSlash = allowEncodedBackSlash != null && allowEncodedBackSlash;
        allowEncodedNullCharacter = allowEncodedNullCharacter != null && allowEncodedNullCharacter;
        allowEncodedSemicolon = allowEncodedSemicolon != null && allowEncodedSemicolon;
        allowEncodedPercent = allowEncodedPercent != null && allowEncodedPercent;
        allowEncodedQuestionMark = allowEncodedQuestionMark != null && allowEncodedQuestionMark;
        allowEncodedHash = allowEncodedHash != null && allowEncodedHash;
    }
}
