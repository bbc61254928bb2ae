package dev.sluice.proxy.middleware.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpressionTest {
    /** Fixed metrics; ResponseCodeRatio answers with its arguments so tests see they were passed. */
    private record Fixed(double network, double latencyMs, long requests) implements Metrics {
        @Override
        public double networkErrorRatio() {
            return network;
        }

        @Override
        public double responseCodeRatio(int from, int to, int divFrom, int divTo) {
            return from == 500 && to == 600 && divFrom == 0 && divTo == 600 ? 0.3 : -1;
        }

        @Override
        public double latencyAtQuantileMs(double percent) {
            return percent == 50.0 ? latencyMs : -1;
        }

        @Override
        public long requests() {
            return requests;
        }
    }

    private static boolean eval(String expression, Fixed metrics) {
        return Expression.parse(expression).test(metrics);
    }

    @Test
    void comparisonsOfEachFunction() {
        Fixed m = new Fixed(0.5, 120, 10);
        assertTrue(eval("NetworkErrorRatio() > 0.30", m));
        assertFalse(eval("NetworkErrorRatio() > 0.5", m));
        assertTrue(eval("NetworkErrorRatio() >= 0.5", m));
        assertTrue(eval("NetworkErrorRatio() == 0.5", m));
        assertFalse(eval("NetworkErrorRatio() != 0.5", m));
        assertTrue(eval("NetworkErrorRatio() < 0.6", m));
        assertTrue(eval("NetworkErrorRatio() <= 0.5", m));
        assertTrue(eval("ResponseCodeRatio(500, 600, 0, 600) > 0.25", m));
        assertTrue(eval("LatencyAtQuantileMS(50.0) > 100", m));
        assertTrue(eval("LatencyAtQuantileMS(50) > 100", m), "an integer percentile is accepted too");
        assertTrue(eval("RequestThreshold() >= 10", m));
        assertFalse(eval("RequestThreshold() > 10", m));
    }

    @Test
    void andBindsTighterThanOrAndParenthesesGroup() {
        Fixed m = new Fixed(0.5, 120, 10);
        // true || (false && false) = true; (true || false) && false = false
        assertTrue(eval("NetworkErrorRatio() > 0.1 || RequestThreshold() > 100 && LatencyAtQuantileMS(50.0) > 500", m));
        assertFalse(eval("(NetworkErrorRatio() > 0.1 || RequestThreshold() > 100) && LatencyAtQuantileMS(50.0) > 500", m));
        assertTrue(eval("  ( ( NetworkErrorRatio()>0.1 ) )  ", m));
    }

    @Test
    void latencyIsKeptOnlyWhenAsked() {
        assertTrue(Expression.parse("RequestThreshold() > 1 && LatencyAtQuantileMS(99.0) > 10").usesLatency());
        assertFalse(Expression.parse("NetworkErrorRatio() > 0.5").usesLatency());
    }

    @Test
    void errorsNameTheColumn() {
        assertError("", 1, "empty expression");
        assertError("NetworkErrorRatio() >", 22, "expected a number");
        assertError("NetworkErrorRatio()", 20, "expected a comparison");
        assertError("NetworkErrors() > 0.5", 1, "unknown function NetworkErrors");
        assertError("ResponseCodeRatio(500, 600) > 0.5", 1, "ResponseCodeRatio takes 4 arguments, got 2");
        assertError("NetworkErrorRatio() > 0.5 &&", 29, "expected a function");
        assertError("(NetworkErrorRatio() > 0.5", 27, "expected \")\"");
        assertError("NetworkErrorRatio() > 0.5 and", 27, "unexpected \"and\"");
        assertError("LatencyAtQuantileMS(150.0) > 1", 1, "percentile between 0 and 100");
    }

    private static void assertError(String text, int column, String message) {
        Expression.ExpressionException e = assertThrows(Expression.ExpressionException.class, () -> Expression.parse(text));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith("column " + column + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
