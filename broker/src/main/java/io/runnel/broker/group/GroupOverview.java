package io.runnel.broker.group;

/** One group as ListGroups (API key 16) lists it: id, protocol type ({@code ""} when unknown), Kafka's state name. */
public record GroupOverview(String groupId, String protocolType, String state) {
}
