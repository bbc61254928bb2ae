package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.middleware.circuitbreaker.Expression;
import dev.sluice.proxy.service.Retries;
import org.junit.jupiter.api.Test;

class RetryExpressionTest {

    @Test
    void functionsOperatorsAndParentheses() {
        Retries.Condition network = RetryExpression.parse("IsNetworkError() && Attempts() < 2");
        assertTrue(network.retry(1, 502, true));
        assertFalse(network.retry(2, 502, true));
        assertFalse(network.retry(1, 502, false));

        Retries.Condition status = RetryExpression.parse("ResponseCode() == 502 && Attempts() < 3");
        assertTrue(status.retry(2, 502, false));
        assertFalse(status.retry(3, 502, false));
        assertFalse(status.retry(1, 500, false));

        Retries.Condition mixed = RetryExpression.parse("!(IsNetworkError() || ResponseCode() >= 500) || Attempts() <= 1");
        assertTrue(mixed.retry(1, 500, false));
        assertFalse(mixed.retry(2, 500, false));
        assertTrue(mixed.retry(2, 404, false));
        assertFalse(mixed.retry(2, 404, true));
        assertTrue(RetryExpression.parse("IsNetworkError() == 1 && ResponseCode() != 200 && Attempts() > 0").retry(1, 504, true));
        assertTrue(RetryExpression.parse("!!IsNetworkError()").retry(1, 502, true));
    }

    @Test
    void errorsNameTheColumn() {
        Expression.ExpressionException e = assertThrows(Expression.ExpressionException.class, () -> RetryExpression.parse("Attempts() < 2 &&"));
        assertEquals(18, e.column(), e.getMessage());
        e = assertThrows(Expression.ExpressionException.class, () -> RetryExpression.parse("Attempts(1) < 2"));
        assertEquals(1, e.column());
        assertTrue(e.getMessage().contains("Attempts takes 0 arguments, got 1"), e.getMessage());
        e = assertThrows(Expression.ExpressionException.class, () -> RetryExpression.parse("!"));
        assertEquals(2, e.column());
    }
}
