package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.SubFilterRule;
import java.util.regex.Matcher;

/**
 * One {@link SubFilterRule} applied to a body that arrives in pieces. Text that could still be
 * the start of a match waits in a carry-over: for a literal, its length minus one; for a regex,
 * {@value #REGEX_WINDOW} bytes, and a regex match is only taken once that much text follows it
 * (so a greedy pattern cannot be cut short by a chunk boundary). The carry-over never exceeds
 * {@value #MAX_CARRY} bytes: a regex match longer than that may be missed where it spans pieces.
 * Text is handled one char per byte (ISO-8859-1), as the rule was compiled.
 */
final class Substitution {
    static final int REGEX_WINDOW = 1024;
    static final int MAX_CARRY = 64 * 1024;

    private final SubFilterRule rule;
    private final int tail;
    private final int lookahead;
    private final StringBuilder carry = new StringBuilder();
    private boolean done;

    Substitution(SubFilterRule rule) {
        this.rule = rule;
        this.lookahead = rule.regex() ? REGEX_WINDOW : 0;
        this.tail = rule.regex() ? REGEX_WINDOW : rule.pattern().pattern().length() - 1;
    }

    /** Takes the next piece ({@code end}: the last one) and returns the text that is final now. */
    String feed(CharSequence piece, boolean end) {
        if (done) {
            return piece.toString();
        }
        carry.append(piece);
        StringBuilder out = new StringBuilder(carry.length() + 16);
        Matcher m = rule.pattern().matcher(carry);
        int emitted = 0;
        int undecidedStart = -1;
        while (m.find()) {
            if (!end && m.end() > carry.length() - lookahead) {
                undecidedStart = m.start(); // more text could still change this match
                break;
            }
            m.appendReplacement(out, rule.replacement());
            emitted = m.end();
            if (!rule.global()) {
                done = true;
                break;
            }
        }
        int safe = end || done ? carry.length() : Math.max(emitted, carry.length() - tail);
        if (undecidedStart >= 0) {
            safe = Math.min(safe, undecidedStart);
        }
        safe = Math.max(safe, Math.max(emitted, carry.length() - MAX_CARRY));
        out.append(carry, emitted, safe);
        carry.delete(0, safe);
        return out.toString();
    }
}
