/**
 * Traefik v3 router rules, start here: {@link dev.sluice.proxy.rule.RuleParser#parse(String)} turns
 * a rule string such as {@code Host(`example.com`) && PathPrefix(`/api`)} into a compiled
 * {@link dev.sluice.proxy.rule.Rule} (or a {@link dev.sluice.proxy.rule.RuleSyntaxException} whose
 * column points at the mistake), and {@link dev.sluice.proxy.rule.Rule#matches} evaluates it
 * against a {@link dev.sluice.proxy.rule.RuleRequest}, the servlet-free view of a request that
 * the routing layer implements. Parse once per configuration: regexes, lower-cased hosts and CIDR
 * masks are prepared at parse time so that matching only compares. Path matchers see the routing
 * path computed by {@link dev.sluice.proxy.rule.RoutingPath#of(String)} (unreserved escapes
 * decoded, reserved ones kept, dot segments and duplicate slashes removed). This package depends
 * on the JDK only; keep it that way so rules can be tested without a container.
 */
package dev.sluice.proxy.rule;
