"""Demo data for the fictional City of Port Alder: people, departments, agencies and a seeder.

``kit.demo.people`` is pure data; ``kit.demo.seed.seed_demo`` writes it to the database.
"""
