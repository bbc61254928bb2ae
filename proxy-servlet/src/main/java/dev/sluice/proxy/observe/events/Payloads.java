package dev.sluice.proxy.observe.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.config.EventsConfig.Format;

/**
 * An event as the body a webhook expects: Sluice's own JSON, or the message shape of a chat
 * service's incoming webhook (Slack, Discord, WeCom, DingTalk, Feishu).
 */
public final class Payloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {}

    /** The JSON body for {@code event} in {@code format}. */
    public static String body(Format format, Event event) {
        ObjectNode root = JSON.createObjectNode();
        String text = "Sluice " + event.summary();
        switch (format) {
            case JSON -> {
                root.put("type", event.type().wireName());
                root.put("time", event.time().toString());
                root.put("subject", event.subject());
                ObjectNode details = root.putObject("details");
                event.details().forEach(details::put);
                root.put("text", text);
            }
            case SLACK -> root.put("text", text);
            case DISCORD -> root.put("content", text);
            case WECOM -> {
                root.put("msgtype", "markdown");
                root.putObject("markdown").put("content", markdown(event));
            }
            case DINGTALK -> {
                root.put("msgtype", "markdown");
                ObjectNode markdown = root.putObject("markdown");
                markdown.put("title", "Sluice " + event.type().wireName());
                markdown.put("text", markdown(event));
            }
            case FEISHU -> {
                root.put("msg_type", "text");
                root.putObject("content").put("text", text);
            }
        }
        return root.toString();
    }

    /** A heading and one bullet per detail. */
    private static String markdown(Event event) {
        StringBuilder md = new StringBuilder("### Sluice ").append(event.type().wireName());
        if (!event.subject().isEmpty()) {
            md.append(": ").append(event.subject());
        }
        md.append("\n");
        event.details().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
        md.append("- time: ").append(event.time());
        return md.toString();
    }
}
