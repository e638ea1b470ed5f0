// The yimei program: everything is wired in bot/cli.cpp; main only hands over the arguments.
#include "bot/cli.hpp"

int main(int argc, char** argv) {
  return yimei::bot::run_cli(argc, argv);
}
