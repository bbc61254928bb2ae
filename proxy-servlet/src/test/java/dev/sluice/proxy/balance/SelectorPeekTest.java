package dev.sluice.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Selector#peek}: what {@code select} would return next, without moving a round-robin on, for
 * the precomputed table, the live algorithm (periods above {@link SmoothWeightedRoundRobin#MAX_TABLE})
 * and leasttime's rotation.
 */
class SelectorPeekTest {
    record E(String name, int weight) implements Endpoint {
        @Override
        public int inFlight() {
            return 0;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"table", "live", "leasttime"})
    void peekAlwaysNamesTheNextPickAndNeverMovesTheSelector(String kind) {
        List<E> endpoints = switch (kind) {
            case "table" -> List.of(new E("a", 5), new E("b", 1), new E("c", 1));
            case "live" -> List.of(new E("a", 40001), new E("b", 30000));
            default -> List.of(new E("a", 1), new E("b", 1), new E("c", 1));
        };
        Selector<E> selector = (kind.equals("leasttime") ? Strategy.LEASTTIME : Strategy.WRR).newSelector(endpoints);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            E peeked = selector.peek(null);
            assertSame(peeked, selector.peek(null), "a second look sees the same");
            E picked = selector.select(null);
            assertSame(peeked, picked, "pick " + i);
            picks.add(picked.name());
        }
        if (kind.equals("table")) {
            assertEquals(List.of("a", "a", "b", "a", "c", "a", "a"), picks.subList(0, 7));
        }
    }
}
