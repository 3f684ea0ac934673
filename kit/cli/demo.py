import click

demo = click.Command("demo")  # replaced by the demo command
