package io.rotor.config;

/** {@code client.rate_limit}: per-connection command rate limits. */
public class RateLimitOptions {

  private CommandRateLimitOptions clientCommand = new CommandRateLimitOptions();

  public CommandRateLimitOptions getClientCommand() {
    return clientCommand;
  }

  public RateLimitOptions setClientCommand(CommandRateLimitOptions clientCommand) {
    this.clientCommand = clientCommand;
    return this;
  }
}
