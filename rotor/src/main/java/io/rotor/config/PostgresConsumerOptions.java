package io.rotor.config;

import java.time.Duration;

/**
 * {@code consumers[i].postgresql}: an outbox table {@code (id bigserial, method text, payload jsonb,
 * partition integer, created_at timestamptz)} read partition by partition; rows are deleted in the
 * transaction that read them, after their command succeeded.
 */
public class PostgresConsumerOptions {

  private String dsn = "";
  private String outboxTableName = "";
  private int numPartitions = 1;
  private int partitionSelectLimit = 100;
  private Duration partitionPollInterval = Duration.ofMillis(300);
  private String partitionNotificationChannel = "";
  private String partitionNotificationDsn = "";
  private boolean useTryLock = false;

  public String getDsn() {
    return dsn;
  }

  public PostgresConsumerOptions setDsn(String dsn) {
    this.dsn = dsn;
    return this;
  }

  public String getOutboxTableName() {
    return outboxTableName;
  }

  public PostgresConsumerOptions setOutboxTableName(String outboxTableName) {
    this.outboxTableName = outboxTableName;
    return this;
  }

  public int getNumPartitions() {
    return numPartitions;
  }

  public PostgresConsumerOptions setNumPartitions(int numPartitions) {
    this.numPartitions = numPartitions;
    return this;
  }

  public int getPartitionSelectLimit() {
    return partitionSelectLimit;
  }

  public PostgresConsumerOptions setPartitionSelectLimit(int partitionSelectLimit) {
    this.partitionSelectLimit = partitionSelectLimit;
    return this;
  }

  public Duration getPartitionPollInterval() {
    return partitionPollInterval;
  }

  public PostgresConsumerOptions setPartitionPollInterval(Duration partitionPollInterval) {
    this.partitionPollInterval = partitionPollInterval;
    return this;
  }

  public String getPartitionNotificationChannel() {
    return partitionNotificationChannel;
  }

  public PostgresConsumerOptions setPartitionNotificationChannel(String partitionNotificationChannel) {
    this.partitionNotificationChannel = partitionNotificationChannel;
    return this;
  }

  public String getPartitionNotificationDsn() {
    return partitionNotificationDsn;
  }

  public PostgresConsumerOptions setPartitionNotificationDsn(String partitionNotificationDsn) {
    this.partitionNotificationDsn = partitionNotificationDsn;
    return this;
  }

  public boolean isUseTryLock() {
    return useTryLock;
  }

  public PostgresConsumerOptions setUseTryLock(boolean useTryLock) {
    this.useTryLock = useTryLock;
    return this;
  }
}
