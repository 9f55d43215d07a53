package cli

// extraCommands lists the commands beyond build, new and version. Each
// feature adds its constructor here.
func extraCommands() []*command {
	return []*command{
		importCommand(),
		serveCommand(),
		moderateCommand(),
		intakeCommand(),
		newsletterCommand(),
	}
}
