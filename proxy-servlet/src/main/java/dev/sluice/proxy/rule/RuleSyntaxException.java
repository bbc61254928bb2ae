package dev.sluice.proxy.rule;

/**
 * A rule that cannot be compiled. The column points at the character where the problem was
 * detected so that a config error can show the user exactly where to look.
 */
public final class RuleSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int column;
    private final String reason;

    /**
     * @param column 1-based column in the rule string
     * @param reason what is wrong, without the column prefix
     */
    public RuleSyntaxException(int column, String reason) {
        super("column " + column + ": " + reason);
        this.column = column;
        this.reason = reason;
    }

    /** 1-based column in the rule string where the problem is. */
    public int column() {
        return column;
    }

    /** The message without the {@code "column N: "} prefix. */
    public String reason() {
        return reason;
    }
}
